import { spawn } from 'node:child_process';
import path from 'node:path';
import type { INode } from 'n8n-workflow';
import { OPTIMA_SQL } from '../../../nodes/Optima/sql/queries';
import { withSqlSource } from '../../../nodes/shared/sql/transport';

const node: INode = {
	id: 'cli-test',
	name: 'Comarch ERP Optima',
	type: 'n8n-nodes-erp-b2b.optima',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

test('the CLI prints the two credentials; an RO posted to its bridge is read back through its SQL Server; SIGTERM stops it', async () => {
	const script = path.resolve(__dirname, '../../simulators/optima/run-cli.mjs');
	const child = spawn(process.execPath, [script, '--products', '30'], { stdio: ['ignore', 'pipe', 'pipe'] });
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
		expect(Object.keys(info)).toEqual(['sql', 'bridge']);
		expect(info.sql).toMatchObject({ server: '127.0.0.1', database: 'CDN_Zolw', encrypt: false });
		const credential = { ...info.sql, encrypt: false };

		const foreignNumber = `B2B/CLI/${process.pid}/ąćęłńóśźż`;
		const post = await fetch(`${info.bridge.url}/v1/ro`, {
			method: 'POST',
			headers: { authorization: `Bearer ${info.bridge.apiKey}`, 'content-type': 'application/json; charset=utf-8' },
			body: JSON.stringify({
				foreignNumber,
				clientCode: 'K-ŚWIĘTOKRZYSKA',
				warehouseSymbol: 'MAGAZYN',
				buffer: true,
				lines: [{ productCode: 'ŁÓD-001', quantity: '2', unitPrice: '10.50' }],
			}),
		});
		expect(post.status).toBe(201);

		const [products, status] = await withSqlSource(node, credential, OPTIMA_SQL, async (sql) => [
			await sql.query('products', { pageSize: 1000, afterId: 0, changedSince: null }),
			await sql.query('orderStatus', { orderNumber: foreignNumber }),
		]);
		// the seed's products plus the 30 generated ones
		expect(products.length).toBeGreaterThanOrEqual(30);
		expect(products.some((p) => p.Twr_Kod === 'ŁÓD-001' && p.Twr_Nazwa === 'Łódka żółta')).toBe(true);
		expect(status).toHaveLength(1);
		expect(status[0]).toMatchObject({ TrN_NumerObcy: foreignNumber, TrN_Bufor: 1 });
	} finally {
		const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
		child.kill('SIGTERM');
		expect(await exited).toBe(0);
	}
});
