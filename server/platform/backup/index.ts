// Backups of the app's tables on any PostgreSQL connection, and their restore.
// (Reading an old PGlite data folder is in ./pglite.ts, kept apart so that
// only the code that needs PGlite loads it.)
export { dumpDatabase } from './dump.ts';
export { restoreDatabase, type RestoreProps } from './restore.ts';
export { rawClient } from './raw-client.ts';
export { BackupError, type BackupErrorCode } from './errors.ts';
export type { BackupHeader, DumpSummary, RestoreSummary } from './format.ts';
