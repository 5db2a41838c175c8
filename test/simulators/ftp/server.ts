/**
 * A real FTP server (the ftp-srv package) on 127.0.0.1 for the file-sync templates: ephemeral control port,
 * passive data ports from a loopback range (PASV answers 127.0.0.1, so nothing leaves the machine), one
 * user and password, and a fresh temporary root folder that `close()` removes.
 *
 * What a customer's FTP does that this one does too: plain FTP (no TLS), `LIST` in `ls -l` format with
 * minute-precision UTC times (no seconds — two exports in the same minute tie on date), names are bytes
 * the server does not interpret, a rename into a missing folder fails with 550, a wrong password gets 530.
 * Files are put and read as raw bytes: code pages are the ERP's business, not the server's.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FtpSrv } from 'ftp-srv';
import { fileServerFolder, freeLoopbackPort, type FileServerEntry } from '../common/file-server-folder';

export interface FtpSimulatorOptions {
	/** default 'erp-export' */
	user?: string;
	/** default 'FTP-pass-Żółć-1' */
	password?: string;
}

export type FtpEntry = FileServerEntry;

export interface FtpSimulator {
	host: '127.0.0.1';
	port: number;
	user: string;
	password: string;
	/** the folder on disk that is the FTP root */
	root: string;
	/** the passive data port range */
	pasv: { min: number; max: number };
	/** logins, successful or not, in order */
	logins: Array<{ user: string; ok: boolean }>;
	/** writes bytes at an FTP path (folders created); `mtime` sets the time LIST shows */
	put(ftpPath: string, bytes: Buffer, opts?: { mtime?: Date }): void;
	mkdir(ftpPath: string): void;
	/** the bytes at an FTP path, or undefined */
	read(ftpPath: string): Buffer | undefined;
	/** files (not folders) directly in an FTP folder, sorted by name; [] when the folder does not exist */
	list(ftpFolder: string): FtpEntry[];
	close(): Promise<void>;
}

const silentLog = (): Record<string, unknown> => {
	const log: Record<string, unknown> = {};
	for (const level of ['trace', 'debug', 'info', 'warn', 'error', 'fatal']) log[level] = () => undefined;
	log.child = () => log;
	return log;
};

export async function startFtpSimulator(opts: FtpSimulatorOptions = {}): Promise<FtpSimulator> {
	const user = opts.user ?? 'erp-export';
	const password = opts.password ?? 'FTP-pass-Żółć-1';
	const root = mkdtempSync(path.join(os.tmpdir(), 'ftp-sim-'));
	const port = await freeLoopbackPort();
	// ftp-srv probes the range itself and takes the next port that is free
	const pasvMin = 20000 + Math.floor(Math.random() * 30000);
	const pasv = { min: pasvMin, max: pasvMin + 99 };
	const logins: FtpSimulator['logins'] = [];

	const server = new FtpSrv({
		url: `ftp://127.0.0.1:${port}`,
		pasv_url: '127.0.0.1',
		pasv_min: pasv.min,
		pasv_max: pasv.max,
		anonymous: false,
		greeting: 'ERP export FTP (simulator)',
		// eslint-disable-next-line @typescript-eslint/no-explicit-any
		log: silentLog() as any,
		timeout: 60_000,
	});
	server.on('login', ({ username, password: given }, resolve, reject) => {
		const ok = username === user && given === password;
		logins.push({ user: username, ok });
		if (ok) resolve({ root, cwd: '/' });
		else reject(new Error('Invalid username or password'));
	});
	// a client that drops its connection must not bring the test process down
	server.on('client-error', () => undefined);
	await server.listen();

	const folder = fileServerFolder(root);

	return {
		host: '127.0.0.1',
		port,
		user,
		password,
		root,
		pasv,
		logins,
		put: folder.put,
		mkdir: folder.mkdir,
		read: folder.read,
		list: folder.list,
		async close() {
			// ftp-srv's own disconnectClient() leaves a `timeout`-long timer behind per open connection: close them first
			const open = (server as unknown as { connections: Record<string, { close(code: number): unknown }> }).connections;
			for (const id of Object.keys(open)) {
				const client = open[id];
				delete open[id];
				try {
					await client.close(0);
				} catch {
					// already gone
				}
			}
			await server.close();
			rmSync(root, { recursive: true, force: true });
		},
	};
}
