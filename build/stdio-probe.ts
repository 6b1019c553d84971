// A real MCP `initialize` over stdio, timed: used by the flag measurement, the artifact tests and
// (as the same JSON line) the Homebrew formula's `test do` block.
import { spawn } from 'node:child_process';

/** The `initialize` request every probe sends, one JSON-RPC line. */
export const INITIALIZE_LINE = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'praxis-probe', version: '1.0.0' } },
});

/** What a probe saw: the reply line, when it came, and the exit code after stdin closed. */
export interface ProbeResult {
  reply: any;
  replyMs: number;
  exitCode: number | string;
  stderr: string;
}

/**
 * Spawns `command serve --transport stdio --project DIR`, writes `initialize`, waits for the reply
 * (at most `timeoutMs`), then closes stdin and waits for the exit. Rejects on timeout.
 */
export function probeInitialize(command: string, project: string, timeoutMs = 15_000): Promise<ProbeResult> {
  const started = performance.now();
  const child = spawn(command, ['serve', '--transport', 'stdio', '--project', project], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, PRAXIS_MCP_TOKEN: undefined } as NodeJS.ProcessEnv,
  });
  let out = '';
  let err = '';
  let reply: any;
  let replyMs = -1;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no initialize reply from ${command} within ${timeoutMs} ms; stderr: ${err}`));
    }, timeoutMs);
    child.stderr.on('data', (d) => (err += d));
    child.stdout.on('data', (d) => {
      out += d;
      const newline = out.indexOf('\n');
      if (reply === undefined && newline >= 0) {
        replyMs = performance.now() - started;
        try {
          reply = JSON.parse(out.slice(0, newline));
        } catch {
          reply = { unparsable: out.slice(0, newline) };
        }
        child.stdin.end();
      }
    });
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (reply === undefined) reject(new Error(`${command} exited (${code ?? signal}) before replying; stderr: ${err}`));
      else resolve({ reply, replyMs, exitCode: code ?? signal ?? -1, stderr: err });
    });
    child.stdin.write(`${INITIALIZE_LINE}\n`);
  });
}
