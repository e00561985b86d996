import { AppError } from '../errors.ts';

/** Why a backup or a restore was refused, as a stable code a caller can branch on. */
export type BackupErrorCode =
  | 'not_a_backup'
  | 'newer_format'
  | 'corrupt'
  | 'truncated'
  | 'newer_factdesk'
  | 'target_not_empty'
  | 'schema_mismatch'
  | 'not_a_pglite_folder'
  | 'no_connection_string';

const STATUS: Record<BackupErrorCode, number> = {
  not_a_backup: 400,
  newer_format: 409,
  corrupt: 400,
  truncated: 400,
  newer_factdesk: 409,
  target_not_empty: 409,
  schema_mismatch: 409,
  not_a_pglite_folder: 400,
  no_connection_string: 500,
};

/** A backup that cannot be read or restored, with a message that says what to do next. */
export class BackupError extends AppError {
  declare readonly code: BackupErrorCode;

  constructor(code: BackupErrorCode, message: string) {
    super(STATUS[code], code, message);
  }
}

/** The file ended before its END line: cut short while written or copied. */
export function truncatedBackup(): BackupError {
  return new BackupError('truncated', 'The backup file ends too early: it was cut short while being written or copied. Nothing was restored; use a complete copy of the backup.');
}

/** The file's content is not what a backup holds at that point. */
export function damagedBackup(detail: string): BackupError {
  return new BackupError('corrupt', `The backup file is damaged: ${detail}. Nothing was restored; use another copy of the backup.`);
}
