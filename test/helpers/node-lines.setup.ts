// Global setup of the full suite: the Node binaries the built CLI is run with (node-lines.ts).
import { installNodeLine, OLD_NODE_LINE, SUPPORTED_NODE_LINES } from './node-lines.ts';

export default function setup(): void {
  for (const line of [...SUPPORTED_NODE_LINES, OLD_NODE_LINE]) installNodeLine(line);
}
