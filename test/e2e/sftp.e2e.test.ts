/**
 * The file templates over SFTP (issue #15): Subiekt GT's stock CSV (`subiekt-gt-file-stock`) and EDI++ clients
 * export (`subiekt-gt-epp-clients`) in a real n8n 2.41.1 with the packed pack, read by n8n's own FTP node with
 * Protocol = SFTP from Debian's real OpenSSH server on 127.0.0.1 (test/simulators/sftp: chroot, internal-sftp).
 *
 * The templates are switched the way their sticky note tells a consultant to: *Protocol* → SFTP in the three FTP
 * nodes of the two parts they call (the newest export file, the archive move) and an *SFTP* account picked in each —
 * nothing else changes (same folder, pattern and archive paths). Each variant here gets its own copy of the parts
 * (its own ids, its own account), imported and published like the shipped ones. The
 * same exports are first run over FTP (test/simulators/ftp); then over SFTP with password login, then with key
 * login (an Ed25519 key pasted on one line as a browser's password field leaves it, and an RSA key with its
 * passphrase). Every SFTP run must leave the portal exactly as the FTP run did and the server's folders in the same
 * state (newest file imported, it and the older one archived under a time-stamped name, other files untouched), and
 * sshd's own log must show the login method. A wrong password and a key not in authorized_keys fail the run at the
 * first SFTP node with an authentication error, nothing sent, the file left in place — and no password, key or
 * passphrase in any run's data or n8n's output.
 *
 * Needs root and openssh-server (`.ci/run` installs it). Elsewhere the file is skipped with the reason in the test
 * title; under CI=true a missing sshd fails instead.
 */
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import iconv from 'iconv-lite';
import { N8nInstance, REPO_ROOT, type ExecuteResult } from './harness/n8n-instance';
import { stepTimings } from './harness/steps';
import { startPortalSimulator, type PortalSimulator } from '../simulators/portal/server';
import { startFtpSimulator, type FtpSimulator } from '../simulators/ftp/server';
import { sftpUnavailable, startSftpServer, type SftpServer } from '../simulators/sftp/server';
import type { FileServerFolder } from '../simulators/common/file-server-folder';
import { scanForSecrets, type Collected, type Secret } from '../harness/credential-scan';
import { writeEpp } from '../../nodes/shared/edi/epp';
import { EXECUTE_WORKFLOW, calledWorkflowId, partsCalledBy } from '../fixtures/templates';
import { KONTRAHENCI_FIELDS_111, indexOf } from '../../nodes/shared/edi/epp-fields';

jest.setTimeout(300_000);

const why = sftpUnavailable();
const ci = process.env.CI === 'true';

const TEMPLATES = path.join(REPO_ROOT, 'workflows-templates', 'subiekt-gt');
const template = (file: string) => JSON.parse(readFileSync(path.join(TEMPLATES, file), 'utf8'));
const STOCK = 'subiekt-gt-file-stock.json';
const CLIENTS = 'subiekt-gt-epp-clients.json';
const FTP_NODE = 'n8n-nodes-base.ftp';

type Workflow = {
	id?: string;
	name: string;
	nodes: Array<{ name: string; type: string; parameters: Record<string, any>; credentials?: object }>;
};

/**
 * What the sticky note tells the consultant to do: Protocol → SFTP in every FTP node of the parts the template
 * calls, an SFTP account in each. The parts are copied under ids of this variant (`key`) and the template's part
 * nodes pointed at the copies, so each variant reads with its own account; returns the template and the copies.
 */
function switchedToSftp(workflow: Workflow, key: string, label: string): { main: Workflow; parts: Workflow[] } {
	const main = JSON.parse(JSON.stringify(workflow)) as Workflow;
	main.name = `${main.name} (SFTP, ${label})`;
	const parts = partsCalledBy(workflow).map(({ workflow: part }, i) => {
		const copy = JSON.parse(JSON.stringify(part)) as Workflow;
		copy.id = `sftp${key}P${i}`.padEnd(16, '0');
		copy.name = `${copy.name} (SFTP, ${label})`;
		for (const n of main.nodes) if (calledWorkflowId(n) === part.id) n.parameters.workflowId.value = copy.id;
		return copy;
	});
	expect(main.nodes.filter((n) => n.type === FTP_NODE)).toEqual([]);
	expect(main.nodes.filter((n) => n.type === EXECUTE_WORKFLOW).map((n) => n.parameters.workflowId.value)).toEqual(
		parts.map((p) => p.id),
	);
	const ftpNodes = parts.flatMap((p) => p.nodes.filter((n) => n.type === FTP_NODE));
	expect(ftpNodes.map((n) => n.name)).toEqual([
		'FTP: list the export folder',
		'FTP: download the file',
		'FTP: move the file to the archive',
	]);
	for (const node of ftpNodes) {
		expect(node.parameters.protocol).toBe('ftp');
		node.parameters.protocol = 'sftp';
		node.credentials = { sftp: { id: '', name: 'SFTP account' } };
	}
	return { main, parts };
}

const cp1250 = (text: string) => iconv.encode(text, 'win1250');

/** stock as Subiekt/Excel write a CSV: Windows-1250, `;`, decimal commas, CRLF */
const STOCK_ROWS = [
	['ŁÓD-001', 'Łódka wiosłowa żółta ĄĆĘŁŃÓŚŹŻ', 'MAG', '12,5', '2', '10,5'],
	['ŁÓD-001', 'Łódka wiosłowa żółta ĄĆĘŁŃÓŚŹŻ', 'ŁÓDŹ', '3', '0', '3'],
	['WIE-002', 'Wiertło "Żubr", 10 mm ąćęłńóśźż', 'MAG', '1 250', '250', '1 000'],
	['ŹRÓ-003', 'Źródło ćma ą ć ę ł ń ó ś ź ż', 'MAG', '0,125', '0', '0,125'],
];
const csvCell = (v: string) => (/[;"\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
const stockCsv = (rows: string[][]) =>
	cp1250(
		['Symbol;Nazwa;Magazyn;Stan;Rezerwacja;Dostępne', ...rows.map((r) => r.map(csvCell).join(';'))].join('\r\n') +
			'\r\n',
	);

const K = (key: string) => indexOf(KONTRAHENCI_FIELDS_111, key);
/** a Subiekt GT contractors export, EDI++ 1.11, Windows-1250 */
function kontrahenciFile(
	clients: Array<{ code: string; name: string; city: string; postal: string; street: string; nip: string }>,
): Buffer {
	const info = ['1.11', '3', '1250', 'Subiekt GT', 'SUB', 'Hurtownia Żółć', 'Hurtownia Żółć Sp. z o.o.', 'Łódź'];
	info.push('90-001', 'ul. Świętej Ćmy 5', '725-000-00-00', 'MAG', 'Magazyn główny', 'Magazyn główny', '', '0', '');
	info.push('', 'Szef', '20261126020000', 'Polska', 'PL', '', '0');
	const body = clients.map((c) => {
		const r = new Array<string>(KONTRAHENCI_FIELDS_111.length).fill('');
		r[K('clientType')] = '0';
		r[K('symbol')] = c.code;
		r[K('shortName')] = c.code;
		r[K('name')] = c.name;
		r[K('city')] = c.city;
		r[K('postalCode')] = c.postal;
		r[K('street')] = c.street;
		r[K('nip')] = c.nip;
		r[K('country')] = 'Polska';
		r[K('euPrefix')] = 'PL';
		r[K('isEu')] = '0';
		return r;
	});
	return writeEpp(
		{ info, sections: [{ header: ['KONTRAHENCI'], name: 'KONTRAHENCI', body }] },
		{ encoding: 'windows-1250', version: '1.11' },
	);
}

/** the exports the ERP dropped: the newest stock and clients files, an older one of each, and a stranger */
const EXPORTS: Array<[string, Buffer, Date]> = [
	['/export/stany_20261126_0215.csv', stockCsv(STOCK_ROWS), new Date('2026-11-26T01:15:00Z')],
	['/export/stany_20261126_0200.csv', stockCsv(STOCK_ROWS.slice(0, 1)), new Date('2026-11-26T01:00:00Z')],
	[
		'/export/kontrahenci_20261126_0200.epp',
		kontrahenciFile([
			{
				code: 'ŻÓŁW',
				name: 'Przedsiębiorstwo "Żółw", Sp. z o.o. ĄĆĘŁŃÓŚŹŻ',
				city: 'Gdańsk',
				postal: '80-001',
				street: 'ul. Źródlana 7/3',
				nip: '526-104-08-28',
			},
			{
				code: 'ĆMA',
				name: 'Ćma Łańcuchy ąćęłńóśźż',
				city: 'Kraków',
				postal: '30-001',
				street: 'Rynek Główny 1',
				nip: '',
			},
		]),
		new Date('2026-11-26T01:00:00Z'),
	],
	[
		'/export/kontrahenci_20261125_0200.epp',
		kontrahenciFile([
			{
				code: 'STARY',
				name: 'Stary kontrahent ąę',
				city: 'Łódź',
				postal: '90-001',
				street: 'ul. Piotrkowska 1',
				nip: '',
			},
		]),
		new Date('2026-11-25T01:00:00Z'),
	],
	['/export/README.txt', Buffer.from('not an export'), new Date('2026-11-20T00:00:00Z')],
];
const putExports = (server: FileServerFolder) => {
	for (const [p, bytes, mtime] of EXPORTS) server.put(p, bytes, { mtime });
};

/** the server's folders after a run: names (archive time stamp replaced) and whether the bytes are the export's */
function folders(server: FileServerFolder) {
	const original = (name: string) => EXPORTS.find(([p]) => p.endsWith(`/${name}`))?.[1];
	const view = (folder: string) =>
		server
			.list(folder)
			.map((f) => {
				const name = f.path.split('/').pop()!;
				const stem = name.replace(/^\d{8}-\d{6}-/, '');
				return {
					name: stem === name ? name : `<yyyyMMdd-HHmmss>-${stem}`,
					same: !!original(stem)?.equals(server.read(f.path)!),
				};
			})
			.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
	return { export: view('/export'), archive: view('/export/archiwum') };
}

let portal: PortalSimulator;
/** what the portal holds after a run, without the times of the run */
function portalView() {
	const s = portal.state.snapshot() as Record<string, Record<string, any>>;
	const runs = Object.fromEntries(
		Object.entries(s.syncStatus).map(([flow, r]) => [
			flow,
			{ status: r.status, counts: r.counts, message: r.message, expectedEveryMinutes: r.expectedEveryMinutes },
		]),
	);
	return { products: s.products, prices: s.prices, stock: s.stock, clients: s.clients, syncStatus: runs };
}

if (why && !ci) {
	it.skip(`SFTP e2e: not run here — ${why}`, () => undefined);
} else {
	let ftp: FtpSimulator;
	let sftp: SftpServer;
	let n8n: N8nInstance;
	const started = Date.now();
	const { timings, timed } = stepTimings();
	const PORTAL_CRED = { id: 'portalCred0001', name: 'B2B Portal account' };
	const CRED = {
		ftp: { id: 'ftpCred0000001', name: 'FTP account' },
		password: { id: 'sftpPassword01', name: 'SFTP account (password)' },
		ed25519: { id: 'sftpEd25519001', name: 'SFTP account (Ed25519 key)' },
		rsa: { id: 'sftpRsaKey0001', name: 'SFTP account (RSA key)' },
		wrongPassword: { id: 'sftpWrongPass1', name: 'SFTP account (wrong password)' },
		wrongKey: { id: 'sftpWrongKey01', name: 'SFTP account (wrong key)' },
	};
	type Run = 'ftpStock' | 'ftpClients' | 'pwStock' | 'pwClients' | 'keyStock' | 'keyClients' | 'badPw' | 'badKey';
	const ids = {} as Record<Run, string>;
	/** the ids of an SFTP variant's copies of the parts: [newest export file, archive] */
	const partIds = {} as Record<Run, string[]>;
	/** what n8n printed (execute) and the run data execute-batch wrote, for the credential scan */
	const printed: Collected[] = [];
	const batch = async (label: string, runs: Run[]) => {
		const results = await timed(label, () => n8n.executeBatch(runs.map((run) => ids[run])));
		for (const run of runs) {
			const { ok, error, data } = results[ids[run]];
			printed.push({ source: `${label}: ${run} run data`, text: JSON.stringify({ error, data }) });
			expect({ run, ok, error }).toEqual({ run, ok: true, error: undefined });
		}
	};
	let wrongPassword: string;

	beforeAll(async () => {
		[portal, ftp, sftp] = await Promise.all([
			startPortalSimulator({ apiKey: 'e2e-portal-KEY-sftp-51aa', webhookSecret: 'e2e-webhook-SECRET-źdźbło' }),
			startFtpSimulator(),
			timed('start sshd (keys, account)', () => startSftpServer()),
		]);
		wrongPassword = `${sftp.password.slice(0, -4)}ŹLE!`;
		n8n = await N8nInstance.create();
		await timed('install pack', () => n8n.installPack());
		const sftpCred = (ref: { id: string; name: string }, data: Record<string, string>) => ({
			...ref,
			type: 'sftp',
			data: { host: sftp.host, port: sftp.port, username: sftp.user, ...data },
		});
		await timed('import credentials', () =>
			n8n.importCredentials([
				{
					...CRED.ftp,
					type: 'ftp',
					data: { host: ftp.host, port: ftp.port, username: ftp.user, password: ftp.password },
				},
				sftpCred(CRED.password, { password: sftp.password }),
				// pasted into the editor's one-line password field, the key loses its line breaks
				sftpCred(CRED.ed25519, { privateKey: sftp.keys.ed25519.privateKey.replace(/\r?\n/g, '') }),
				sftpCred(CRED.rsa, { privateKey: sftp.keys.rsa.privateKey, passphrase: sftp.keys.rsa.passphrase! }),
				sftpCred(CRED.wrongPassword, { password: wrongPassword }),
				sftpCred(CRED.wrongKey, { privateKey: sftp.keys.notAuthorized.privateKey }),
				{
					...PORTAL_CRED,
					type: 'b2bPortalApi',
					data: {
						baseUrl: portal.url,
						authType: 'apiKey',
						apiKey: portal.apiKey,
						webhookSecret: portal.webhookSecret,
					},
				},
			]),
		);
		const stock = template(STOCK);
		const clients = template(CLIENTS);
		const sftpPlan: Array<[Run, Workflow, string, { id: string; name: string }]> = [
			['pwStock', stock, 'password', CRED.password],
			['pwClients', clients, 'password', CRED.password],
			['keyStock', stock, 'Ed25519 key', CRED.ed25519],
			['keyClients', clients, 'RSA key', CRED.rsa],
			['badPw', stock, 'wrong password', CRED.wrongPassword],
			['badKey', stock, 'wrong key', CRED.wrongKey],
		];
		const switched = sftpPlan.map(([run, wf, label, cred]) => ({ run, cred, ...switchedToSftp(wf, run, label) }));
		for (const { run, parts } of switched) partIds[run] = parts.map((p) => p.id!);
		const bound = (cred: { id: string; name: string }) => ({ ftp: cred, sftp: cred, b2bPortalApi: PORTAL_CRED });
		// each SFTP variant's own copies of the parts, published as the shipped parts are (n8n runs the published
		// version); the FTP runs get the shipped parts, which importWorkflows brings and publishes by itself
		const copies = switched.flatMap(({ parts, cred }) =>
			parts.map((p) => ({ workflow: p, credentialIds: bound(cred) })),
		);
		await timed('import and publish the SFTP copies of the parts', async () => {
			await n8n.importWorkflows(copies.map((c) => ({ ...c, id: c.workflow.id })));
			// through the running n8n's API: one start instead of one CLI process per part
			await n8n.start();
			try {
				for (const c of copies) await n8n.publish(c.workflow.id!);
			} finally {
				await n8n.stop();
			}
		});
		const plan: Array<[Run, object, { id: string; name: string }]> = [
			['ftpStock', stock, CRED.ftp],
			['ftpClients', clients, CRED.ftp],
			...switched.map(({ run, main, cred }): [Run, object, { id: string; name: string }] => [run, main, cred]),
		];
		const imported = await timed('import templates', () =>
			n8n.importWorkflows(plan.map(([, workflow, cred]) => ({ workflow, credentialIds: bound(cred) }))),
		);
		plan.forEach(([run], i) => (ids[run] = imported[i]));
	});

	afterAll(async () => {
		await n8n?.dispose();
		await Promise.all([portal?.close(), ftp?.close(), sftp?.close()]);
		timings.push(`whole file: ${((Date.now() - started) / 1000).toFixed(1)} s`);
		console.log(`sftp e2e timings:\n  ${timings.join('\n  ')}`);
	});

	afterEach(() => {
		expect(portal.contractViolations).toEqual([]);
	});

	describe('the same exports over FTP, over SFTP with a password and over SFTP with keys', () => {
		let overFtp: { portal: ReturnType<typeof portalView>; folders: ReturnType<typeof folders> };

		beforeAll(async () => {
			putExports(ftp);
			await batch('execute-batch stock + clients over FTP', ['ftpStock', 'ftpClients']);
			overFtp = { portal: portalView(), folders: folders(ftp) };
		});

		it('over FTP (the reference): stock and clients in the portal, newest files imported, both archived', () => {
			expect(Object.keys(overFtp.portal.stock)).toHaveLength(STOCK_ROWS.length);
			expect(Object.keys(overFtp.portal.clients).sort()).toEqual(['ĆMA', 'ŻÓŁW']);
			expect(overFtp.portal.clients['ŻÓŁW']).toMatchObject({
				name: 'Przedsiębiorstwo "Żółw", Sp. z o.o. ĄĆĘŁŃÓŚŹŻ',
				taxId: '5261040828',
			});
			expect(overFtp.portal.stock['ŁÓD-001|ŁÓDŹ']).toMatchObject({ onHand: '3', available: '2' });
			expect(overFtp.portal.syncStatus['subiekt-gt file stock']).toMatchObject({ counts: { files: 1, stock: 4 } });
			expect(overFtp.portal.syncStatus['subiekt-gt epp clients']).toMatchObject({ counts: { files: 1, clients: 2 } });
			expect(overFtp.folders).toEqual({
				export: [{ name: 'README.txt', same: true }],
				archive: [
					{ name: '<yyyyMMdd-HHmmss>-kontrahenci_20261125_0200.epp', same: true },
					{ name: '<yyyyMMdd-HHmmss>-kontrahenci_20261126_0200.epp', same: true },
					{ name: '<yyyyMMdd-HHmmss>-stany_20261126_0200.csv', same: true },
					{ name: '<yyyyMMdd-HHmmss>-stany_20261126_0215.csv', same: true },
				],
			});
		});

		for (const [how, stockRun, clientsRun] of [
			['password', 'pwStock', 'pwClients'],
			['keys (Ed25519 for stock, RSA with passphrase for clients)', 'keyStock', 'keyClients'],
		] as const)
			it(`over SFTP with ${how}: the portal and the server's folders end up exactly as over FTP`, async () => {
				portal.reset();
				rmSync(path.join(sftp.root, 'export'), { recursive: true, force: true });
				putExports(sftp);
				const mark = sftp.logins.length;
				await batch(`execute-batch stock + clients over SFTP (${how.split(' ')[0]})`, [stockRun, clientsRun]);
				expect(portalView()).toEqual(overFtp.portal);
				expect(folders(sftp)).toEqual(overFtp.folders);
				// archived as the SFTP user into the folder the run created
				expect(sftp.list('/export/archiwum')).toHaveLength(4);

				// how n8n logged in, by sshd's own log: one login per FTP node run (list, download, move ×1 per run)
				const logins = sftp.logins.slice(mark);
				expect(logins.filter((l) => !l.ok)).toEqual([]);
				if (stockRun === 'pwStock') {
					expect(logins.length).toBeGreaterThanOrEqual(6);
					expect(logins.every((l) => l.method === 'password' && l.user === sftp.user)).toBe(true);
				} else {
					const by = (fp: string) => logins.filter((l) => l.method === 'publickey' && l.fingerprint === fp);
					expect(by(sftp.keys.ed25519.fingerprint).length).toBeGreaterThanOrEqual(3);
					expect(by(sftp.keys.rsa.fingerprint).length).toBeGreaterThanOrEqual(3);
					expect(by(sftp.keys.ed25519.fingerprint)[0].keyType).toBe('ED25519');
					expect(by(sftp.keys.rsa.fingerprint)[0].keyType).toBe('RSA');
					expect(logins.some((l) => l.method === 'password')).toBe(false);
				}
			});
	});

	describe('refused logins', () => {
		const refused = async (run: 'badPw' | 'badKey', label: string): Promise<ExecuteResult> => {
			portal.reset();
			rmSync(path.join(sftp.root, 'export'), { recursive: true, force: true });
			putExports(sftp);
			const mark = sftp.logins.length;
			const r = await timed(label, () => n8n.execute(ids[run]));
			printed.push({ source: `n8n output of "${label}"`, text: r.stdout + r.stderr });
			expect(r.ok).toBe(false);
			// the first SFTP node (in the part that gets the newest file) stops the part and with it the run, with the
			// reason; nothing reaches the portal, nothing moves
			expect(r.error).toMatch(/authentication methods failed/i);
			const resultData = r.data?.data?.resultData;
			expect(resultData.lastNodeExecuted).toBe('Get the newest export file');
			expect(resultData.runData['Get the newest export file'][0].error.message).toMatch(
				/All configured authentication methods failed/,
			);
			expect(Object.keys(resultData.runData)).not.toContain('ERP File: read stock');
			// the part's own run: failed at its first node, nothing downloaded, and the archive part never called
			const partRuns = await n8n.sqlite(
				'SELECT e.workflowId AS workflowId, e.status AS status, d.data AS data FROM execution_entity e JOIN execution_data d ON d.executionId = e.id WHERE e.workflowId IN (?, ?)',
				partIds[run],
			);
			expect(partRuns.map((p) => [p.workflowId, p.status])).toEqual([[partIds[run][0], 'error']]);
			expect(String(partRuns[0].data)).toContain('FTP: list the export folder');
			expect(String(partRuns[0].data)).toContain('All configured authentication methods failed');
			expect(String(partRuns[0].data)).not.toContain('FTP: download the file');
			// the only request is the read of the flow's sync state (Load Sync State, right after the trigger)
			expect(portal.requests.map((q) => `${q.method} ${q.path.replace(/[^/]+$/, '{key}')}`)).toEqual([
				'GET /v1/sync-state/{key}',
			]);
			expect(folders(sftp).export.map((f) => f.name)).toEqual(EXPORTS.map(([p]) => p.split('/').pop()).sort());
			expect(folders(sftp).archive).toEqual([]);
			expect(sftp.logins.slice(mark).some((l) => l.ok)).toBe(false);
			return r;
		};

		it('a wrong password fails the run with an authentication error; sshd logged the failed password', async () => {
			const mark = sftp.logins.length;
			await refused('badPw', 'execute stock over SFTP (wrong password)');
			expect(sftp.logins.slice(mark)).toContainEqual({ method: 'password', ok: false, user: sftp.user });
		});

		it('a key not in authorized_keys fails the run with an authentication error; no login accepted', async () => {
			const mark = sftp.logins.length;
			await refused('badKey', 'execute stock over SFTP (key not authorized)');
			expect(sftp.logins.slice(mark).filter((l) => l.method === 'password')).toEqual([]);
		});

		it('no password, private key or passphrase in any run data or n8n output of the file', async () => {
			const rows = await n8n.sqlite(
				'SELECT e.id AS id, e.workflowId AS workflowId, e.status AS status, d.data AS data FROM execution_entity e JOIN execution_data d ON d.executionId = e.id',
			);
			// the two refused runs and their parts' runs (execute-batch leaves no execution rows of its own: its run
			// data is in `printed`; the runs of the parts it called are rows, scanned below with the rest)
			expect(
				rows
					.filter((r) => r.status === 'error')
					.map((r) => r.workflowId)
					.sort(),
			).toEqual([ids.badPw, ids.badKey, partIds.badPw[0], partIds.badKey[0]].sort());
			expect(printed.filter((p) => p.source.includes('run data'))).toHaveLength(6);
			const collected: Collected[] = [
				...printed,
				...rows.map((r) => ({ source: `execution ${r.id} (${r.status}) run data`, text: String(r.data) })),
			];
			// the scan must see the failures' reason, or it proves nothing
			expect(collected.filter((c) => /authentication methods failed/i.test(c.text)).length).toBeGreaterThanOrEqual(2);
			const key = (label: string, pem: string): Secret[] => {
				const body = pem.split('\n').filter((l) => l && !l.startsWith('-----'));
				return [
					{ label: `${label} (whole)`, value: pem },
					{ label: `${label} (one line)`, value: pem.replace(/\r?\n/g, '') },
					// any body line alone: a key cut or re-wrapped on the way still shows one
					...body.slice(0, -1).map((line, i) => ({ label: `${label} line ${i + 1}`, value: line })),
				];
			};
			const secrets: Secret[] = [
				{ label: 'SFTP password', value: sftp.password, user: sftp.user },
				{ label: 'wrong SFTP password', value: wrongPassword, user: sftp.user },
				{ label: 'RSA key passphrase', value: sftp.keys.rsa.passphrase! },
				{ label: 'FTP password', value: ftp.password, user: ftp.user },
				{ label: 'portal API key', value: portal.apiKey },
				...key('Ed25519 key', sftp.keys.ed25519.privateKey),
				...key('RSA key', sftp.keys.rsa.privateKey),
				...key('unauthorized key', sftp.keys.notAuthorized.privateKey),
			];
			expect(scanForSecrets(secrets, collected)).toEqual([]);
		});
	});
}
