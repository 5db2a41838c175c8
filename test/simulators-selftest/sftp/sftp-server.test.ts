/**
 * The real-sshd helper (test/simulators/sftp) spoken to with the SFTP client of n8n's own FTP node —
 * ssh2-sftp-client with its ssh2, loaded from the pinned n8n 2.41.1 (scripts/runtime.mjs) — before any workflow is
 * involved: password login, Ed25519 key login, RSA key with its passphrase, the chroot (the user's "/" is the server
 * root, /export as on FTP), a rename into a new archive folder as the SFTP user, a wrong password and a key not in
 * authorized_keys refused, every login logged with its method and key. Where sshd cannot run (no openssh-server,
 * not root), the suite is skipped with the reason in its title — except under CI=true, where that is a failure.
 */
import path from 'node:path';
import iconv from 'iconv-lite';
import { runtime } from '../../e2e/harness/n8n-instance';
import { parseSshdLogin, sftpUnavailable, startSftpServer, type SftpServer } from '../../simulators/sftp/server';

const why = sftpUnavailable();
const ci = process.env.CI === 'true';

type Auth = { password?: string; privateKey?: string; passphrase?: string };
let SftpClient: new (name: string, callbacks: Record<string, () => void>) => any;
/** connects as the test user the way n8n's FTP node does, runs fn, ends */
async function withSftp<T = any>(server: SftpServer, auth: Auth, fn: (sftp: any) => Promise<T>): Promise<T> {
	// the client's global listeners print to the console after a test ends; n8n passes none (its defaults log)
	const quiet = () => undefined;
	const sftp = new SftpClient('selftest', { error: quiet, end: quiet, close: quiet });
	await sftp.connect({ host: server.host, port: server.port, username: server.user, readyTimeout: 10_000, ...auth });
	try {
		return await fn(sftp);
	} finally {
		await sftp.end();
	}
}

it('parses sshd login lines', () => {
	expect(
		parseSshdLogin('Accepted publickey for b2b-sftp-test from 127.0.0.1 port 4242 ssh2: ED25519 SHA256:abc+/x'),
	).toEqual({ method: 'publickey', ok: true, user: 'b2b-sftp-test', keyType: 'ED25519', fingerprint: 'SHA256:abc+/x' });
	expect(parseSshdLogin('Failed password for b2b-sftp-test from 127.0.0.1 port 4243 ssh2')).toEqual({
		method: 'password',
		ok: false,
		user: 'b2b-sftp-test',
	});
	expect(parseSshdLogin('Server listening on 127.0.0.1 port 2222.')).toBeUndefined();
});

if (why && !ci) {
	it.skip(`real sshd: not run here — ${why}`, () => undefined);
} else {
	describe('real sshd on 127.0.0.1', () => {
		let server: SftpServer;
		beforeAll(async () => {
			const rt = await runtime();
			// eslint-disable-next-line @typescript-eslint/no-require-imports
			SftpClient = require(
				require.resolve('ssh2-sftp-client', { paths: [path.join(rt.n8nDir, 'node_modules', 'n8n-nodes-base')] }),
			);
			server = await startSftpServer();
		}, 120_000);
		afterAll(async () => server?.close());

		it('password, Ed25519 key and passphrase-protected RSA key log in to the chroot; sshd says which method', async () => {
			const file = iconv.encode('Symbol;Nazwa\r\nŁÓD-001;Łódka ąćęłńóśźż\r\n', 'win1250');
			server.put('/export/stany_20261201_0100.csv', file, { mtime: new Date('2026-12-01T00:00:00Z') });
			const byPassword = await withSftp(server, { password: server.password }, (c) => c.list('/export'));
			expect(byPassword.map((e: any) => [e.type, e.name])).toEqual([['-', 'stany_20261201_0100.csv']]);
			expect(byPassword[0].modifyTime).toBe(Date.parse('2026-12-01T00:00:00Z'));
			// the user's "/" is the server root: the machine's own folders are out of sight
			const top = await withSftp(server, { password: server.password }, (c) => c.list('/'));
			expect(top.map((e: any) => e.name)).toEqual(['export']);

			const bytes = await withSftp(server, { privateKey: server.keys.ed25519.privateKey }, (c) =>
				c.get('/export/stany_20261201_0100.csv'),
			);
			expect(bytes.equals(file)).toBe(true);

			// as the SFTP user: a new archive folder, the file renamed into it
			const rsa = { privateKey: server.keys.rsa.privateKey, passphrase: server.keys.rsa.passphrase };
			await withSftp(server, rsa, async (c) => {
				await c.mkdir('/export/archiwum', true);
				await c.rename('/export/stany_20261201_0100.csv', '/export/archiwum/stany_20261201_0100.csv');
			});
			expect(server.list('/export')).toEqual([]);
			expect(server.read('/export/archiwum/stany_20261201_0100.csv')!.equals(file)).toBe(true);

			expect(server.logins).toEqual([
				{ method: 'password', ok: true, user: server.user },
				{ method: 'password', ok: true, user: server.user },
				expect.objectContaining({
					method: 'publickey',
					keyType: 'ED25519',
					fingerprint: server.keys.ed25519.fingerprint,
				}),
				expect.objectContaining({ method: 'publickey', keyType: 'RSA', fingerprint: server.keys.rsa.fingerprint }),
			]);
		});

		it('a wrong password and a key not in authorized_keys are refused', async () => {
			const before = server.logins.length;
			await expect(withSftp(server, { password: `${server.password}x` }, async () => 'in')).rejects.toThrow(
				/authentication methods failed/,
			);
			await expect(
				withSftp(server, { privateKey: server.keys.notAuthorized.privateKey }, async () => 'in'),
			).rejects.toThrow(/authentication methods failed/);
			const after = server.logins.slice(before);
			expect(after.some((l) => l.ok)).toBe(false);
			expect(after).toContainEqual({ method: 'password', ok: false, user: server.user });
		});
	});
}
