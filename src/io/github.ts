/**
 * GitHub Actions workflow-command escaping, as the runner unescapes it (actions/runner
 * ActionCommand): in the message `%`, `\r` and `\n`; in a property also `:` and `,`. Without it a
 * value holding a newline could start a line the runner reads as a command of its own.
 */
export function escapeGithubData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export function escapeGithubProperty(s: string): string {
  return escapeGithubData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
