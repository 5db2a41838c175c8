// Preloaded into every n8n process the e2e harness starts (NODE_OPTIONS=--require <this file>). That is where
// all regular nodes run, ours included. n8n's JS task runner (Code node) does NOT get it: n8n starts the runner
// with an allow-listed environment that drops NODE_OPTIONS; the runner exits when n8n does. Two jobs:
//
// 1. Network guard. Records, and by default refuses, every attempt to reach a host other than the loopback
//    interface, so a test can prove that n8n (with the harness's environment) only ever talks to 127.0.0.1.
//      N8N_E2E_NET_GUARD      block (default) | log | off
//      N8N_E2E_NET_GUARD_LOG  file that receives one JSON line per outbound attempt
//    Covered: net.Socket#connect (http, https, tls, fetch/undici, database drivers all end up there) and
//    dns.lookup / dns.promises.lookup. Not covered: UDP (dgram) and dns.resolve* (c-ares); n8n uses neither.
//
// 2. Parent watch (N8N_E2E_PARENT_WATCH=1). If the process that started this one goes away (jest finished or
//    was killed without dispose()), send ourselves SIGTERM (n8n shuts down cleanly, stopping its runner), then
//    exit hard 10 s later. Needed because an 'exit' hook in the test process does not run inside jest's sandbox.
'use strict';

const mode = process.env.N8N_E2E_NET_GUARD || 'block';

if (mode !== 'off') {
	const net = require('node:net');
	const dns = require('node:dns');
	const fs = require('node:fs');
	const logFile = process.env.N8N_E2E_NET_GUARD_LOG;

	const isLoopback = (host) => {
		if (host === undefined || host === null || host === '') return true; // node's default is localhost
		const h = String(host).toLowerCase().replace(/^\[|\]$/g, '');
		return (
			h === 'localhost' ||
			h.endsWith('.localhost') ||
			h === '::1' ||
			h === '0:0:0:0:0:0:0:1' ||
			/^127\.\d+\.\d+\.\d+$/.test(h) ||
			/^::ffff:127\.\d+\.\d+\.\d+$/.test(h)
		);
	};

	const record = (kind, target) => {
		if (!logFile) return;
		try {
			const entry = { pid: process.pid, kind, target, blocked: mode === 'block', at: new Date().toISOString() };
			fs.appendFileSync(logFile, `${JSON.stringify(entry)}\n`);
		} catch {
			// never let the guard itself break n8n
		}
	};

	const blockedError = (target, code) => {
		const error = new Error(`net-guard: outbound connection to ${target} refused (the e2e harness allows only loopback)`);
		error.code = code;
		return error;
	};

	const originalConnect = net.Socket.prototype.connect;
	net.Socket.prototype.connect = function guardedConnect(...args) {
		let options = args[0];
		if (Array.isArray(options)) options = options[0]; // net.connect() passes its normalized [options, cb]
		let host;
		let port;
		let isPipe = false;
		if (options !== null && typeof options === 'object') {
			if (options.path) isPipe = true;
			host = options.host;
			port = options.port;
		} else if (typeof options === 'number' || (typeof options === 'string' && /^\d+$/.test(options))) {
			port = options;
			host = typeof args[1] === 'string' ? args[1] : undefined;
		} else if (typeof options === 'string') {
			isPipe = true;
		}
		if (!isPipe && !isLoopback(host)) {
			const target = `${host}:${port}`;
			record('connect', target);
			if (mode === 'block') {
				process.nextTick(() => this.destroy(blockedError(target, 'ECONNREFUSED')));
				return this;
			}
		}
		return originalConnect.apply(this, args);
	};

	const originalLookup = dns.lookup;
	dns.lookup = function guardedLookup(hostname, ...rest) {
		if (!isLoopback(hostname) && net.isIP(String(hostname)) === 0) {
			record('lookup', String(hostname));
			if (mode === 'block') {
				const callback = rest[rest.length - 1];
				if (typeof callback === 'function') {
					process.nextTick(() => callback(blockedError(hostname, 'ENOTFOUND')));
					return {};
				}
			}
		}
		return originalLookup.call(this, hostname, ...rest);
	};

	const originalPromisesLookup = dns.promises.lookup;
	dns.promises.lookup = async function guardedPromisesLookup(hostname, ...rest) {
		if (!isLoopback(hostname) && net.isIP(String(hostname)) === 0) {
			record('lookup', String(hostname));
			if (mode === 'block') throw blockedError(hostname, 'ENOTFOUND');
		}
		return originalPromisesLookup.call(this, hostname, ...rest);
	};
}

if (process.env.N8N_E2E_PARENT_WATCH === '1') {
	const parent = process.ppid;
	const watch = setInterval(() => {
		if (process.ppid === parent) return;
		clearInterval(watch);
		setTimeout(() => process.exit(1), 10_000).unref();
		process.kill(process.pid, 'SIGTERM');
	}, 1000);
	watch.unref();
}
