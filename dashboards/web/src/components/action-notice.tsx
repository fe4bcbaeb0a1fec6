/**
 * The outcome line of a view's buttons (create, revoke, refresh): an action runs, its failure (or
 * an optional success text) is shown in a notice above the panels.
 */
import { useCallback, useState, type ReactNode } from 'react';
import { errorText } from '../lib/error-text';

export interface ActionNotice {
  message: string | undefined;
  setMessage(message: string | undefined): void;
  /** Runs `action`; shows the error it throws, or `done` when given. True when it succeeded. */
  run(action: () => Promise<unknown>, done?: string): Promise<boolean>;
}

export function useActionNotice(): ActionNotice {
  const [message, setMessage] = useState<string | undefined>(undefined);
  const run = useCallback(async (action: () => Promise<unknown>, done?: string): Promise<boolean> => {
    try {
      await action();
      if (done !== undefined) setMessage(done);
      return true;
    } catch (err) {
      setMessage(errorText(err));
      return false;
    }
  }, []);
  return { message, setMessage, run };
}

export function Notice(props: { message: string | undefined }): ReactNode {
  return props.message !== undefined ? <div className="notice">{props.message}</div> : null;
}

/** A secret shown once after it is created (API token, enrolment command). */
export function SecretNotice(props: { intro: string; secret: string; testId?: string; className?: string }): ReactNode {
  return (
    <div className="notice secret" data-testid={props.testId}>
      {props.intro}
      <pre className={props.className}>{props.secret}</pre>
    </div>
  );
}
