/**
 * Holds the production deployment (docs/deploy/: docker-compose.yml, Dockerfile, Caddyfile, .env.example) to what the
 * queue-mode test harness starts, and docs/deploy.md to those files. No Docker engine runs in CI, so the compose
 * file itself is never started here; what keeps it honest is that it uses the settings the harness proves against a
 * real PostgreSQL, Redis and n8n (queueModeEnv() in test/e2e/harness/queue.ts, test/e2e/queue-mode.e2e.test.ts) and
 * the n8n version the harness runs (scripts/runtime.mjs). Changing one side only fails here.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { queueModeEnv, type PostgresServer, type RedisServer } from '../e2e/harness/queue';

const ROOT = path.join(__dirname, '..', '..');
const read = (p: string) => readFileSync(path.join(ROOT, p), 'utf8');

const COMPOSE_PATH = 'docs/deploy/docker-compose.yml';
const composeText = read(COMPOSE_PATH);
const dockerfile = read('docs/deploy/Dockerfile');
const envExample = read('docs/deploy/.env.example');
const guide = read('docs/deploy.md');

interface Service {
	image?: string;
	build?: { context?: string; args?: Record<string, string> };
	command?: string[];
	environment?: Record<string, string>;
	healthcheck?: { test?: string[] };
}
// merge: the n8n services share their settings through YAML anchors and `<<` merge keys, as Compose reads them
const compose = parse(composeText, { merge: true }) as { services: Record<string, Service> };

/** the n8n version the harness installs and runs */
const N8N_VERSION = /export const N8N_VERSION = '([^']+)'/.exec(read('scripts/runtime.mjs'))?.[1];

/** The services that run the pack's n8n image (built from docs/deploy/Dockerfile). */
const n8nServices = Object.entries(compose.services).filter(([, s]) => s.build !== undefined);

/** Two different sets of servers tell the settings (same value for both) from the addresses and secrets. */
function fakeServers(n: number): [PostgresServer, RedisServer] {
	// the harness's servers always listen on 127.0.0.1 (hence the type); other hosts here only vary the value
	const host = `10.0.0.${n}` as '127.0.0.1';
	const pg: PostgresServer = {
		host,
		port: 5000 + n,
		database: `db${n}`,
		user: `user${n}`,
		password: `hasło-${n}-żółw`,
		runsAs: 'postgres',
		version: '15',
		query: async () => [],
		stop: async () => undefined,
	};
	const redis: RedisServer = { host, port: 6000 + n, version: '7.0.15', stop: async () => undefined };
	return [pg, redis];
}

describe('docs/deploy/docker-compose.yml runs what the queue-mode harness runs', () => {
	test('main, worker and webhook processor are n8n services of the pack image', () => {
		expect(n8nServices.map(([name]) => name).sort()).toEqual(['n8n-main', 'n8n-webhook', 'n8n-worker']);
		expect(compose.services['n8n-main'].command?.[0]).toBe('start');
		expect(compose.services['n8n-worker'].command?.[0]).toBe('worker');
		expect(compose.services['n8n-worker'].command?.slice(1)).toEqual([expect.stringMatching(/^--concurrency=\d+$/)]);
		expect(compose.services['n8n-webhook'].command).toEqual(['webhook']);
	});

	test('every variable of queueModeEnv() is set in every n8n service, with the same value where it is no host, port or secret', () => {
		const a = queueModeEnv(...fakeServers(1));
		const b = queueModeEnv(...fakeServers(2));
		// a value that does not change with the servers is a setting (EXECUTIONS_MODE=queue, binary data mode, ...)
		const fixed = Object.keys(a).filter((k) => a[k] === b[k]);
		expect(fixed).toEqual(expect.arrayContaining(['EXECUTIONS_MODE', 'N8N_DEFAULT_BINARY_DATA_MODE']));
		for (const [name, service] of n8nServices) {
			const env = service.environment ?? {};
			const missing = Object.keys(a).filter((k) => env[k] === undefined);
			expect({ service: name, missing }).toEqual({ service: name, missing: [] });
			const differing = fixed.filter((k) => String(env[k]) !== a[k]).map((k) => `${k}=${env[k]} (harness: ${a[k]})`);
			expect({ service: name, differing }).toEqual({ service: name, differing: [] });
		}
	});

	test('N8N_ENCRYPTION_KEY is one reference to .env, the same in every n8n service', () => {
		const keys = n8nServices.map(([name, s]) => ({ service: name, key: s.environment?.N8N_ENCRYPTION_KEY }));
		for (const k of keys) expect(k.key).toMatch(/^\$\{N8N_ENCRYPTION_KEY(:\?[^}]*)?\}$/);
		expect(new Set(keys.map((k) => k.key)).size).toBe(1);
	});

	test('the image is the n8n version the harness runs (scripts/runtime.mjs)', () => {
		expect(N8N_VERSION).toMatch(/^\d+\.\d+\.\d+$/);
		for (const [name, s] of n8nServices) {
			expect({ service: name, tag: s.image?.split(':').pop() }).toEqual({ service: name, tag: N8N_VERSION });
			expect({ service: name, arg: s.build?.args?.N8N_VERSION }).toEqual({ service: name, arg: N8N_VERSION });
		}
		expect(dockerfile).toContain(`ARG N8N_VERSION=${N8N_VERSION}\n`);
		expect(dockerfile).toMatch(/^FROM n8nio\/n8n:\$\{N8N_VERSION\}$/m);
		// where n8n's community-package installer puts a package, and where every n8n process looks for it
		expect(dockerfile).toMatch(/^COPY --from=pack --chown=node:node \/nodes \/home\/node\/\.n8n\/nodes$/m);
	});

	test('each health check asks the port its process listens on', () => {
		const port = (s: Service) =>
			/127\.0\.0\.1:(\d+)\/healthz\/readiness/.exec(s.healthcheck?.test?.join(' ') ?? '')?.[1];
		expect(port(compose.services['n8n-worker'])).toBe(
			compose.services['n8n-worker'].environment?.QUEUE_HEALTH_CHECK_PORT,
		);
		expect(port(compose.services['n8n-webhook'])).toBe(compose.services['n8n-webhook'].environment?.N8N_PORT);
		expect(port(compose.services['n8n-main'])).toBe('5678');
	});

	test('.env.example names every variable the compose file reads from .env', () => {
		const used = [...new Set([...composeText.matchAll(/\$\{([A-Z0-9_]+)/g)].map((m) => m[1]))];
		const defined = new Set([...envExample.matchAll(/^([A-Z0-9_]+)=/gm)].map((m) => m[1]));
		expect(used.filter((v) => !defined.has(v))).toEqual([]);
	});
});

describe('docs/deploy.md', () => {
	/** The fenced block right after the marker `<!-- file: <path> -->`. */
	function embedded(file: string): string | undefined {
		const at = guide.indexOf(`<!-- file: ${file} -->`);
		if (at < 0) return undefined;
		const m = /^```[^\n]*\n([\s\S]*?)^```$/m.exec(guide.slice(at));
		return m?.[1];
	}

	test.each([COMPOSE_PATH, 'docs/deploy/Dockerfile', 'docs/deploy/Caddyfile'])('shows %s as it is', (file) => {
		expect(embedded(file)).toBe(read(file));
	});

	test('explains every variable of the n8n services', () => {
		const names = new Set(n8nServices.flatMap(([, s]) => Object.keys(s.environment ?? {})));
		expect([...names].filter((n) => !guide.includes(`\`${n}\``))).toEqual([]);
	});

	test('tells how to add workers, and has the place for the 1 vs 2 worker figures', () => {
		expect(guide).toContain('docker compose up -d --scale n8n-worker=3');
		expect(guide).toContain('<!-- bench:queue -->');
	});
});
