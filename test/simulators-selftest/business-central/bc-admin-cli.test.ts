/**
 * The BC simulator as a process (run-cli.mjs prints one JSON line a client can use) and its /__sim admin:
 * add and modify items and customers, block a customer, move stock, set a price, move the clock, expire tokens —
 * each seen through the API as a client would see it.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { BC_SCOPE } from '../../simulators/business-central/server';

async function post(url: string, body: unknown, method = 'POST') {
	const r = await fetch(url, { method, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
	return { status: r.status, json: (await r.json()) as any }; // eslint-disable-line @typescript-eslint/no-explicit-any
}

test('the CLI prints one JSON line a client can get a token and read with; /__sim acts like a user in BC', async () => {
	const script = path.resolve(__dirname, '../../simulators/business-central/run-cli.mjs');
	const child = spawn(process.execPath, [script, '--items', '8', '--customers', '4', '--page-size', '5'], {
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
		expect(Object.keys(info)).toEqual([
			'apiHost',
			'loginHost',
			'onPremBase',
			'apiRoot',
			'tenant',
			'environment',
			'company',
			'companyId',
			'clientId',
			'clientSecret',
			'onPremUser',
			'onPremKey',
		]);
		expect(info.company).toBe('Hurtownia Żelazna Łódź Sp. z o.o.');
		const tok = await fetch(`${info.loginHost}/${info.tenant}/oauth2/v2.0/token`, {
			method: 'POST',
			body: new URLSearchParams({
				grant_type: 'client_credentials',
				client_id: info.clientId,
				client_secret: info.clientSecret,
				scope: BC_SCOPE,
			}),
		});
		const { access_token } = (await tok.json()) as { access_token: string };
		const H = { Authorization: `Bearer ${access_token}` };
		const co = `${info.apiRoot}/companies(${info.companyId})`;
		const read = async (p: string) => (await (await fetch(co + p, { headers: H })).json()) as any; // eslint-disable-line @typescript-eslint/no-explicit-any

		const first = await read('/items');
		expect(first.value).toHaveLength(5);
		expect(first['@odata.nextLink']).toContain('$skiptoken=');

		const admin = `${info.apiHost}/__sim`;
		expect(
			(await post(`${admin}/items`, { number: 'NOWY-1', displayName: 'Śrubokręt płaski', unitPrice: 19.9 })).status,
		).toBe(201);
		expect((await read("/items?$filter=number eq 'NOWY-1'")).value[0]).toMatchObject({
			displayName: 'Śrubokręt płaski',
			unitPrice: 19.9,
			inventory: 0,
		});

		const before = (await read("/items?$filter=number eq '1000'")).value[0];
		expect((await post(`${admin}/clock`, { advanceMs: 600_000 })).status).toBe(200);
		const moved = await post(`${admin}/stock`, { itemNo: '1000', locationCode: 'KRAKÓW', qty: 4 });
		expect(moved.status).toBe(200);
		const afterMove = (await read("/items?$filter=number eq '1000'")).value[0];
		expect(afterMove.inventory).toBe(before.inventory + 4);
		expect(afterMove.lastModifiedDateTime).toBe(before.lastModifiedDateTime);

		expect((await post(`${admin}/items/1000`, { unitPrice: 77.5 }, 'PATCH')).status).toBe(200);
		const edited = (await read("/items?$filter=number eq '1000'")).value[0];
		expect(edited.unitPrice).toBe(77.5);
		expect(edited.lastModifiedDateTime > before.lastModifiedDateTime).toBe(true);

		expect(
			(await post(`${admin}/customers`, { number: 'K90000', displayName: 'Zakład Ślusarski Łęczyca' })).status,
		).toBe(201);
		expect((await post(`${admin}/customers/K90000/block`, { blocked: 'Invoice' })).status).toBe(200);
		expect((await read("/customers?$filter=number eq 'K90000'")).value[0].blocked).toBe('Invoice');
		expect((await post(`${admin}/customers/K90000`, { email: 'biuro@leczyca.pl' }, 'PATCH')).json.email).toBe(
			'biuro@leczyca.pl',
		);

		const price = await post(`${admin}/prices`, {
			itemNo: '1001',
			unitPrice: 5.55,
			sourceType: 'Customer',
			sourceNo: 'K00010',
		});
		expect(price.json).toMatchObject({
			sourceType: 'Customer',
			sourceNo: 'K00010',
			assetNo: '1001',
			unitPrice: 5.55,
			status: 'Active',
		});

		// errors name what is wrong
		const bad = await post(`${admin}/stock`, { itemNo: 'NIE-MA', locationCode: 'ŁÓDŹ', qty: 1 });
		expect(bad).toEqual({ status: 400, json: { error: 'no item NIE-MA' } });
		expect((await post(`${admin}/customers/K90000/block`, { blocked: 'Tak' })).json.error).toContain('Tak');

		expect((await post(`${admin}/tokens/expire`, {})).status).toBe(200);
		expect((await fetch(co + '/items', { headers: H })).status).toBe(401);
		const infoNow = (await (await fetch(`${admin}/info`)).json()) as { tokensIssued: number };
		expect(infoNow.tokensIssued).toBe(1);
	} finally {
		const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
		child.kill('SIGTERM');
		expect(await exited).toBe(0);
	}
});
