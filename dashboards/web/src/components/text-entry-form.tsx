/** One text box and a button (a comment, a task): submits the trimmed text, clears it once saved. */
import { useState, type ReactNode } from 'react';

export function TextEntryForm(props: {
  placeholder: string;
  /** Accessible name of the text box. */
  label: string;
  button: string;
  /** Saves the text; true clears the box. Not called for blank text. */
  onSubmit(text: string): Promise<boolean>;
}): ReactNode {
  const [value, setValue] = useState('');
  return (
    <form
      className="comment-box"
      onSubmit={(e) => {
        e.preventDefault();
        const text = value.trim();
        if (text !== '') void props.onSubmit(text).then((saved) => saved && setValue(''));
      }}
    >
      <input value={value} onChange={(e) => setValue(e.target.value)} placeholder={props.placeholder} aria-label={props.label} />
      <button className="btn" type="submit">
        {props.button}
      </button>
    </form>
  );
}
