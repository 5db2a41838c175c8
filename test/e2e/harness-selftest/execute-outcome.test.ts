/** How the harness reads one `n8n execute` process result — without starting n8n. */
import { executeOutcome, type ProcessResult } from '../harness/n8n-instance';

const run = (status: 'success' | 'error', nodeError?: string) =>
	JSON.stringify(
		{
			status,
			finished: status === 'success',
			data: {
				resultData: {
					runData: { Boom: [{ ...(nodeError ? { error: { message: nodeError } } : {}), data: { main: [[]] } }] },
					...(nodeError ? { error: { message: nodeError, node: { name: 'Boom' } } } : {}),
				},
			},
		},
		null,
		2,
	); // n8n prints the run as indented JSON after its log lines
const proc = (over: Partial<ProcessResult>): ProcessResult => ({
	exitCode: 0,
	signal: null,
	stdout: '',
	stderr: '',
	ms: 1,
	timedOut: false,
	...over,
});

describe('executeOutcome', () => {
	it('a failed run: exit code 1 and the node error', () => {
		const r = executeOutcome(proc({ exitCode: 1, stdout: `log line\n${run('error', 'zażółć błąd')}\n` }), 1000);
		expect(r).toMatchObject({ ok: false, exitCode: 1, error: 'exit code 1; node "Boom" failed: zażółć błąd' });
	});

	it('a printed run followed by a signal during shutdown keeps the run’s own result and reports the signal', () => {
		const failed = executeOutcome(proc({ exitCode: 128, signal: 'SIGSEGV', stdout: run('error', 'boom') }), 1000);
		expect(failed).toMatchObject({
			ok: false,
			exitCode: 1,
			signal: 'SIGSEGV',
			error: 'exit code 1; node "Boom" failed: boom',
		});
		const ok = executeOutcome(proc({ exitCode: 128, signal: 'SIGSEGV', stdout: run('success') }), 1000);
		expect(ok).toMatchObject({ ok: true, exitCode: 0, signal: 'SIGSEGV' });
		expect(ok.error).toBeUndefined();
	});

	it('a signal before any run was printed is a failure naming the signal', () => {
		const r = executeOutcome(proc({ exitCode: 128, signal: 'SIGKILL', stdout: 'starting…' }), 1000);
		expect(r).toMatchObject({ ok: false, exitCode: 128 });
		expect(r.error).toMatch(/^exit code 128 \(signal SIGKILL\); no JSON result on stdout/);
	});

	it('a timeout wins over everything else', () => {
		const r = executeOutcome(proc({ exitCode: 128, signal: 'SIGKILL', timedOut: true, stdout: '' }), 1234);
		expect(r).toMatchObject({ ok: false, error: 'timed out after 1234 ms' });
	});
});
