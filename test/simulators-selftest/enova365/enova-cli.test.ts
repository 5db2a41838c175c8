import { spawn } from 'node:child_process';
import path from 'node:path';

test('the CLI prints one JSON line a client can log in with, and stops on SIGTERM', async () => {
	const script = path.resolve(__dirname, '../../simulators/enova365/run-cli.mjs');
	const child = spawn(process.execPath, [script, '--products', '40', '--seed', '5', '--app-token', 'token-z-enovy'], {
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	try {
		const line = await new Promise<string>((resolve, reject) => {
			let buf = '';
			let err = '';
			child.stdout.on('data', (d) => {
				buf += d;
				const nl = buf.indexOf('\n');
				if (nl >= 0) resolve(buf.slice(0, nl));
			});
			child.stderr.on('data', (d) => (err += d));
			child.once('exit', (code) => reject(new Error(`cli exited ${code}: ${err}`)));
		});
		const info = JSON.parse(line);
		expect(Object.keys(info)).toEqual(['url', 'appToken', 'database', 'operator', 'password', 'serviceClass']);
		expect(info).toMatchObject({ appToken: 'token-z-enovy', database: 'Handel Łódź', serviceClass: 'B2BPortalApi' });
		const login = await fetch(`${info.url}/api/LoginApi`, {
			method: 'POST',
			headers: { authorization: `Bearer ${info.appToken}` },
		});
		expect(login.status).toBe(200);
		const { Token } = (await login.json()) as { Token: string };
		const r = await fetch(`${info.url}/api/B2BPortalApi/GetTowary`, {
			method: 'POST',
			headers: { authorization: `Bearer ${Token}`, 'content-type': 'application/json' },
			body: JSON.stringify({ IloscNaStronie: 1000 }),
		});
		expect(((await r.json()) as { Towary: unknown[] }).Towary).toHaveLength(43);
	} finally {
		const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
		child.kill('SIGTERM');
		expect(await exited).toBe(0);
	}
});
