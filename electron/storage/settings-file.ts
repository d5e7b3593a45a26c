import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { z } from 'zod';
import { loadJsonFile, writeFileAtomic } from './atomic-file.ts';

/**
 * One JSON settings file in the app's data folder. Saves are serialised and atomic
 * (writeFileAtomic); a damaged file is reported through the load's notice and kept as a copy
 * before anything new is written. Without a data folder, settings live in memory only.
 */
export class SettingsFile<T> {
  readonly file: string | null;
  private saving: Promise<void> = Promise.resolve();
  lastError: string | null = null;
  private readonly schema: z.ZodType<T>;
  /** How the notice names the file ("Portfolio settings file"). */
  private readonly label: string;

  constructor(dataDir: string | null, name: string, schema: z.ZodType<T>, label: string) {
    this.file = dataDir ? path.join(dataDir, name) : null;
    this.schema = schema;
    this.label = label;
  }

  async load(defaults: T): Promise<{ settings: T; notice: string | null }> {
    if (!this.file) return { settings: defaults, notice: null };
    const loaded = await loadJsonFile(this.file, this.schema);
    switch (loaded.state) {
      case 'missing':
        return { settings: defaults, notice: null };
      case 'loaded':
        return { settings: loaded.value, notice: null };
      case 'damaged':
        return {
          settings: defaults,
          notice: `${this.label} ${this.file} is damaged (${loaded.reason}). ${loaded.keptAs ? `A copy is kept as ${loaded.keptAs}. ` : ''}Starting from defaults; your next change will write a new file.`,
        };
    }
  }

  save(settings: T): Promise<void> {
    const file = this.file;
    if (!file) return Promise.resolve();
    const text = JSON.stringify(settings, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2);
    this.saving = this.saving.then(() =>
      mkdir(path.dirname(file), { recursive: true }).then(() => writeFileAtomic(file, text)).then(
        () => {
          this.lastError = null;
        },
        (err: Error) => {
          this.lastError = `could not save ${file}: ${err.message}`;
        },
      ),
    );
    return this.saving;
  }
}
