/**
 * Makes a cell safe to open in a spreadsheet: a value that Excel, LibreOffice
 * or Google Sheets would read as a formula (it starts with = + - @, a tab, a
 * carriage return or a line feed, also after leading spaces) gets a leading
 * apostrophe, so it is shown as the text it is (OWASP "CSV injection").
 * The one place this rule lives; CSV and XLSX both call it.
 */
export function neutraliseCell(value: string): string {
  return /^[ \u00a0]*[=+\-@\t\r\n]/.test(value) ? `'${value}` : value;
}
