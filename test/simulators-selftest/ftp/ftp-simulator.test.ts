/**
 * The FTP simulator spoken to with raw FTP commands over sockets (no client library in between): login,
 * PASV pointing at 127.0.0.1 inside the announced range, LIST in ls format, RETR of raw CP1250 bytes,
 * RNFR/RNTO into an archive folder, a rename into a missing folder refused with 550, a bad password refused.
 */
import { connect, type Socket } from 'node:net';
import iconv from 'iconv-lite';
import { startFtpSimulator, type FtpSimulator } from '../../simulators/ftp/server';

let ftp: FtpSimulator;
beforeEach(async () => {
	ftp = await startFtpSimulator();
});
afterEach(async () => ftp.close());

/** A minimal FTP control connection: send a command, get the next complete reply. */
class Control {
	private buf = '';
	private waiting: Array<(reply: { code: number; text: string }) => void> = [];
	private constructor(private readonly socket: Socket) {
		socket.setEncoding('latin1');
		socket.on('data', (d: string) => {
			this.buf += d;
			this.drain();
		});
	}
	static async open(port: number): Promise<{ c: Control; greeting: { code: number; text: string } }> {
		const socket = connect(port, '127.0.0.1');
		const c = new Control(socket);
		const greeting = await c.next();
		return { c, greeting };
	}
	private drain() {
		// a reply ends with a line "NNN text" (multi-line replies start with "NNN-")
		for (;;) {
			const m = /^(\d{3})([ -])/.exec(this.buf);
			if (!m || !this.waiting.length) return;
			const end = m[2] === ' ' ? this.buf.indexOf('\r\n') : this.buf.search(new RegExp(`\\r\\n${m[1]} [^\\r]*\\r\\n`));
			if (end < 0) return;
			const stop = m[2] === ' ' ? end + 2 : this.buf.indexOf('\r\n', end + 2) + 2;
			const text = this.buf.slice(0, stop);
			this.buf = this.buf.slice(stop);
			this.waiting.shift()!({ code: Number(m[1]), text });
		}
	}
	next(): Promise<{ code: number; text: string }> {
		return new Promise((resolve) => {
			this.waiting.push(resolve);
			this.drain();
		});
	}
	async send(cmd: string): Promise<{ code: number; text: string }> {
		const reply = this.next();
		this.socket.write(`${cmd}\r\n`);
		return reply;
	}
	/** PASV + a data command: the reply to PASV, the bytes received, the final reply */
	async data(
		cmd: string,
	): Promise<{ pasv: { host: string; port: number }; bytes: Buffer; final: { code: number; text: string } }> {
		const p = await this.send('PASV');
		expect(p.code).toBe(227);
		const n = /\((\d+),(\d+),(\d+),(\d+),(\d+),(\d+)\)/.exec(p.text)!.slice(1).map(Number);
		const pasv = { host: n.slice(0, 4).join('.'), port: n[4] * 256 + n[5] };
		const chunks: Buffer[] = [];
		const dataSocket = connect(pasv.port, pasv.host);
		const closed = new Promise<void>((resolve) => dataSocket.on('close', () => resolve()));
		dataSocket.on('data', (d: Buffer) => chunks.push(d));
		await new Promise<void>((resolve) => dataSocket.once('connect', () => resolve()));
		const first = await this.send(cmd);
		expect([125, 150]).toContain(first.code);
		await closed;
		const final = await this.next();
		return { pasv, bytes: Buffer.concat(chunks), final };
	}
	close() {
		this.socket.destroy();
	}
}

async function login(password = ftp.password) {
	const { c, greeting } = await Control.open(ftp.port);
	expect(greeting.code).toBe(220);
	expect((await c.send(`USER ${ftp.user}`)).code).toBe(331);
	const pass = await c.send(`PASS ${password}`);
	return { c, pass };
}

describe('FTP simulator (ftp-srv on 127.0.0.1)', () => {
	it('serves raw CP1250 bytes over a loopback passive connection, lists them, renames them into the archive', async () => {
		const name = 'Łódka żółta — zażółć gęślą jaźń ĄĆĘŁŃÓŚŹŻ';
		const bytes = Buffer.concat([
			Buffer.from('Symbol;Nazwa\r\nŁÓD-1;', 'latin1'),
			iconv.encode(name, 'win1250'),
			Buffer.from('\r\n'),
		]);
		ftp.put('/export/towary_20261126.csv', bytes, { mtime: new Date('2026-11-26T02:00:00Z') });
		ftp.mkdir('/export/archiwum');

		const { c, pass } = await login();
		try {
			expect(pass.code).toBe(230);
			expect((await c.send('TYPE I')).code).toBe(200);

			const list = await c.data('LIST /export');
			expect(list.pasv.host).toBe('127.0.0.1');
			expect(list.pasv.port).toBeGreaterThanOrEqual(ftp.pasv.min);
			expect(list.pasv.port).toBeLessThanOrEqual(ftp.pasv.max);
			expect(list.final.code).toBe(226);
			const lines = list.bytes.toString('latin1').trim().split('\r\n');
			expect(lines).toHaveLength(2);
			expect(lines.find((l) => l.startsWith('d'))).toMatch(/ archiwum$/);
			expect(lines.find((l) => l.startsWith('-'))).toMatch(
				new RegExp(` ${bytes.length} Nov 26 02:00 towary_20261126\\.csv$`),
			);

			const got = await c.data('RETR /export/towary_20261126.csv');
			expect(got.final.code).toBe(226);
			expect(got.bytes.equals(bytes)).toBe(true);
			expect(iconv.decode(got.bytes, 'win1250')).toContain(name);

			// into a folder that does not exist: 550, the file stays where it was
			expect((await c.send('RNFR /export/towary_20261126.csv')).code).toBe(350);
			expect((await c.send('RNTO /nie-ma/towary.csv')).code).toBe(550);
			expect(ftp.read('/export/towary_20261126.csv')?.equals(bytes)).toBe(true);

			expect((await c.send('RNFR /export/towary_20261126.csv')).code).toBe(350);
			expect((await c.send('RNTO /export/archiwum/towary_20261126.csv')).code).toBe(250);
			expect(ftp.list('/export')).toEqual([]);
			expect(ftp.list('/export/archiwum')).toEqual([
				{ path: '/export/archiwum/towary_20261126.csv', size: bytes.length, mtime: new Date('2026-11-26T02:00:00Z') },
			]);
			expect(ftp.read('/export/archiwum/towary_20261126.csv')?.equals(bytes)).toBe(true);
		} finally {
			c.close();
		}
		expect(ftp.logins).toEqual([{ user: ftp.user, ok: true }]);
	});

	it('refuses a wrong password; paths are clamped to the root', async () => {
		const { c, pass } = await login('wrong-password');
		c.close();
		expect(pass.code).toBe(530);
		expect(ftp.logins).toEqual([{ user: ftp.user, ok: false }]);
		ftp.put('../../escape.txt', Buffer.from('x')); // clamped to the root, as an FTP server does
		expect(ftp.list('/')).toEqual([expect.objectContaining({ path: '/escape.txt', size: 1 })]);
		expect(ftp.read('/none.csv')).toBeUndefined();
		expect(ftp.list('/none')).toEqual([]);
	});
});
