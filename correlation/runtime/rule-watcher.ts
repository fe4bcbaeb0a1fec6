/**
 * Watches rule folders and calls back once changes have been quiet for the debounce time (an
 * editor save or a `git pull` writes many files in a burst). Folders are watched recursively;
 * a path naming one file is watched through its folder, so editors that save by renaming a
 * temporary file over it are still seen. Editor droppings (.swp, ~, dotfiles) are ignored.
 */
import { watch, statSync, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { Logger } from 'pino';

function ignored(name: string): boolean {
  const base = basename(name);
  return base.startsWith('.') || base.endsWith('~') || base.endsWith('.swp') || base.endsWith('.swx') || base.endsWith('.tmp') || base === '4913';
}

export class RuleFolderWatcher {
  private readonly watchers: FSWatcher[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly paths: readonly string[],
    private readonly debounceMs: number,
    private readonly onChange: () => void,
    private readonly logger: Logger,
  ) {}

  start(): void {
    for (const path of this.paths) {
      let isDir: boolean;
      try {
        isDir = statSync(path).isDirectory();
      } catch (err) {
        this.logger.warn({ path, reason: (err as Error).message }, 'rule path not watched: it cannot be read');
        continue;
      }
      const target = isDir ? path : dirname(path);
      const only = isDir ? undefined : basename(path);
      try {
        // persistent: false — the watcher alone must not keep the process running.
        const w = watch(target, { recursive: isDir, persistent: false }, (_event, name) => {
          const file = name === null ? null : String(name);
          if (file !== null && ignored(file)) return;
          if (only !== undefined && file !== null && file !== only) return;
          this.schedule();
        });
        w.on('error', (err) => {
          this.logger.warn({ path, reason: err.message }, 'rule folder watch stopped; changes need a restart');
          w.close();
        });
        this.watchers.push(w);
      } catch (err) {
        this.logger.warn({ path, reason: (err as Error).message }, 'rule path not watched; changes need a restart');
      }
    }
  }

  stop(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    for (const w of this.watchers) w.close();
    this.watchers.length = 0;
  }

  private schedule(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.onChange();
    }, this.debounceMs);
    this.timer.unref();
  }
}
