/**
 * A real SSH server for the file templates over SFTP: Debian's own OpenSSH `/usr/sbin/sshd` (package
 * openssh-server; `.ci/run` installs it), started on 127.0.0.1 on a free port with its own configuration, host key
 * and authorized_keys in a fresh folder — the system's /etc/ssh is not read and nothing of the system's SSH set-up
 * is touched. Not a simulator: whatever a customer's OpenSSH does with n8n's SFTP client (ssh2-sftp-client on ssh2),
 * this one does, because it is the same program. Its settings are the usual ones for an ERP export account:
 *
 * - `Subsystem sftp internal-sftp`, `ForceCommand internal-sftp`, `ChrootDirectory` = the server root: the user sees
 *   `/export` as on the FTP server (same template paths), no shell, no forwarding. sshd refuses a chroot unless every
 *   folder up to it is root's and writable by nobody else (so not under the world-writable /tmp): the folder is made
 *   in /run. The root itself is root's (sshd's rule); the folders the test creates in it belong to the SFTP user.
 * - Password login: a dedicated unprivileged system account (`b2b-sftp-test`, no shell, no home), created when missing;
 *   a fresh random password with Polish letters is set with `chpasswd` for each server and locked again (`usermod -L`)
 *   by `close()`. `UsePAM no`: sshd checks the password against /etc/shadow itself (so it must run as root).
 * - Key login: key pairs made with `ssh-keygen` in OpenSSH's own format (what `ssh-keygen` writes and what n8n's SFTP
 *   credential says it takes): Ed25519 without a passphrase and RSA 3072 with one. A third Ed25519 key that is not
 *   in authorized_keys serves as "the wrong key".
 * - `LogLevel VERBOSE` on stderr (`-D -e`): every accepted and failed login with its method and key type is parsed
 *   into `logins`, so a test can say *how* n8n logged in, not only that it did.
 *
 * Needs Linux, root (user account, /etc/shadow, chroot) and openssh-server: `sftpUnavailable()` says what is missing.
 * One server at a time per machine: a second one would set a new password on the same account (jest runs the
 * suites in band, so `npm test` never does).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import {
	fileServerFolder,
	freeLoopbackPort,
	type FileServerEntry,
	type FileServerFolder,
} from '../common/file-server-folder';

export const SSHD = '/usr/sbin/sshd';
export const SFTP_TEST_USER = 'b2b-sftp-test';
const TOOLS = ['/usr/bin/ssh-keygen', '/usr/sbin/useradd', '/usr/sbin/usermod', '/usr/sbin/chpasswd'];

export interface SftpLogin {
	method: 'password' | 'publickey';
	ok: boolean;
	user: string;
	/** publickey only: ED25519, RSA, ... as sshd names it */
	keyType?: string;
	/** publickey only: SHA256:... */
	fingerprint?: string;
}

export interface SftpKey {
	/** the private key file as ssh-keygen wrote it (OpenSSH format) */
	privateKey: string;
	publicKey: string;
	/** ssh-keygen -l: SHA256:... */
	fingerprint: string;
	passphrase?: string;
}

export interface SftpServer extends FileServerFolder {
	host: '127.0.0.1';
	port: number;
	user: string;
	password: string;
	keys: { ed25519: SftpKey; rsa: SftpKey; notAuthorized: SftpKey };
	/** the chroot folder on disk: the SFTP user's "/" */
	root: string;
	/** logins sshd logged, in order */
	logins: SftpLogin[];
	/** sshd's log so far (VERBOSE) */
	log(): string;
	close(): Promise<void>;
}

export type SftpEntry = FileServerEntry;

/** Why the real sshd cannot run here, or undefined when it can. */
export function sftpUnavailable(): string | undefined {
	if (process.platform !== 'linux')
		return `the SFTP test runs Debian's OpenSSH server and needs Linux, not ${process.platform}`;
	if (!existsSync(SSHD))
		return `${SSHD} is missing: install the SSH server with \`apt-get install -y openssh-server\` (.ci/run does this)`;
	if (process.getuid?.() !== 0)
		return 'the SFTP test must run as root: it creates the test account, sets its password (sshd reads /etc/shadow) and chroots it';
	const missing = TOOLS.filter((t) => !existsSync(t));
	if (missing.length) return `missing ${missing.join(', ')} (Debian packages openssh-client and passwd)`;
	return undefined;
}

function run(cmd: string, args: string[], input?: string): string {
	const r = spawnSync(cmd, args, { input, encoding: 'utf8' });
	// never echo `input`: it holds the password
	if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status ?? r.signal}): ${r.stderr}`);
	return r.stdout;
}

function makeKey(dir: string, name: string, type: 'ed25519' | 'rsa', passphrase = ''): SftpKey {
	const file = path.join(dir, name);
	run('/usr/bin/ssh-keygen', [
		'-q',
		'-t',
		type,
		...(type === 'rsa' ? ['-b', '3072'] : []),
		'-N',
		passphrase,
		'-C',
		`${name}@erp-b2b-test`,
		'-f',
		file,
	]);
	const fingerprint = run('/usr/bin/ssh-keygen', ['-l', '-E', 'sha256', '-f', `${file}.pub`]).split(' ')[1];
	return {
		privateKey: readFileSync(file, 'utf8'),
		publicKey: readFileSync(`${file}.pub`, 'utf8').trim(),
		fingerprint,
		...(passphrase ? { passphrase } : {}),
	};
}

/** the test account: created when missing (no shell, no home), uid/gid */
function ensureUser(user: string): { uid: number; gid: number } {
	const id = (flag: string) => spawnSync('/usr/bin/id', [flag, user], { encoding: 'utf8' });
	if (id('-u').status !== 0)
		run('/usr/sbin/useradd', [
			'--system',
			'--user-group',
			'--no-create-home',
			'--home-dir',
			'/nonexistent',
			'--shell',
			'/usr/sbin/nologin',
			user,
		]);
	return { uid: Number(id('-u').stdout.trim()), gid: Number(id('-g').stdout.trim()) };
}

/** one sshd log line → a login, or undefined */
export function parseSshdLogin(line: string): SftpLogin | undefined {
	const m =
		/\b(Accepted|Failed) (password|publickey) for (?:invalid user )?(\S+) from \S+ port \d+ ssh2(?:: (\S+) (SHA256:\S+))?/.exec(
			line,
		);
	if (!m) return undefined;
	return {
		method: m[2] as SftpLogin['method'],
		ok: m[1] === 'Accepted',
		user: m[3],
		...(m[4] ? { keyType: m[4], fingerprint: m[5] } : {}),
	};
}

export async function startSftpServer(opts: { user?: string } = {}): Promise<SftpServer> {
	const why = sftpUnavailable();
	if (why) throw new Error(why);
	const user = opts.user ?? SFTP_TEST_USER;
	// sshd's privilege-separation folder (Debian's service unit creates it; we start sshd without the unit)
	mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
	const owner = ensureUser(user);
	// ASCII and Polish letters; random per server so nothing reusable stays behind
	const password = `SFTP-hasło-Żółć-${randomBytes(9).toString('base64url')}`;
	run('/usr/sbin/chpasswd', [], `${user}:${password}\n`);

	const base = mkdtempSync('/run/erp-b2b-sftp-');
	chmodSync(base, 0o755); // the user reads authorized_keys below it and enters the chroot
	const etc = path.join(base, 'etc');
	const keyDir = path.join(base, 'keys');
	const root = path.join(base, 'root');
	mkdirSync(etc, { mode: 0o755 });
	mkdirSync(keyDir, { mode: 0o700 });
	mkdirSync(root, { mode: 0o755 });
	let child: ChildProcess | undefined;
	try {
		const hostKey = path.join(etc, 'ssh_host_ed25519_key');
		run('/usr/bin/ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'erp-b2b-test-host', '-f', hostKey]);
		const keys = {
			ed25519: makeKey(keyDir, 'id_ed25519', 'ed25519'),
			rsa: makeKey(keyDir, 'id_rsa', 'rsa', `klucz-RSA-${randomBytes(6).toString('hex')}`),
			notAuthorized: makeKey(keyDir, 'id_ed25519_other', 'ed25519'),
		};
		const authorizedKeys = path.join(etc, 'authorized_keys');
		writeFileSync(authorizedKeys, `${keys.ed25519.publicKey}\n${keys.rsa.publicKey}\n`, { mode: 0o644 });
		const port = await freeLoopbackPort();
		const config = path.join(etc, 'sshd_config');
		writeFileSync(
			config,
			[
				`ListenAddress 127.0.0.1`,
				`Port ${port}`,
				`HostKey ${hostKey}`,
				`PidFile ${path.join(base, 'sshd.pid')}`,
				`AuthorizedKeysFile ${authorizedKeys}`,
				`AllowUsers ${user}`,
				'PermitRootLogin no',
				'PubkeyAuthentication yes',
				'PasswordAuthentication yes',
				'PermitEmptyPasswords no',
				'KbdInteractiveAuthentication no',
				'UsePAM no',
				'StrictModes yes',
				'MaxAuthTries 6',
				'LoginGraceTime 30',
				'LogLevel VERBOSE',
				'Subsystem sftp internal-sftp',
				`ChrootDirectory ${root}`,
				'ForceCommand internal-sftp',
				'AllowTcpForwarding no',
				'AllowAgentForwarding no',
				'X11Forwarding no',
				'PermitTTY no',
				'',
			].join('\n'),
			{ mode: 0o600 },
		);
		run(SSHD, ['-t', '-f', config]); // configuration check: a clear error instead of a silent exit

		let log = '';
		const logins: SftpLogin[] = [];
		let pending = '';
		const proc = spawn(SSHD, ['-D', '-e', '-f', config], { stdio: ['ignore', 'ignore', 'pipe'] });
		child = proc;
		const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
		proc.stderr!.setEncoding('utf8');
		proc.stderr!.on('data', (chunk: string) => {
			log += chunk;
			pending += chunk;
			const lines = pending.split('\n');
			pending = lines.pop()!;
			for (const line of lines) {
				const login = parseSshdLogin(line);
				if (login) logins.push(login);
			}
		});
		const listening = await Promise.race([
			new Promise<boolean>((resolve) => {
				const check = setInterval(() => {
					if (log.includes(`Server listening on 127.0.0.1 port ${port}`)) {
						clearInterval(check);
						resolve(true);
					}
				}, 20);
				void exited.then(() => (clearInterval(check), resolve(false)));
			}),
			new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 10_000).unref()),
		]);
		if (!listening) throw new Error(`sshd did not start on 127.0.0.1:${port}:\n${log}`);

		const folder = fileServerFolder(root, owner);
		let closed = false;
		return {
			host: '127.0.0.1',
			port,
			user,
			password,
			keys,
			root,
			logins,
			log: () => log,
			...folder,
			async close() {
				if (closed) return;
				closed = true;
				if (proc.exitCode === null && proc.signalCode === null) {
					proc.kill('SIGTERM');
					await exited;
				}
				spawnSync('/usr/sbin/usermod', ['-L', user]); // the password stops working with the server
				rmSync(base, { recursive: true, force: true });
			},
		};
	} catch (error) {
		child?.kill('SIGTERM');
		spawnSync('/usr/sbin/usermod', ['-L', user]);
		rmSync(base, { recursive: true, force: true });
		throw error;
	}
}
