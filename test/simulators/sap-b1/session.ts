/**
 * Service Layer sessions: B1SESSION cookie (a GUID) + ROUTEID (the load balancer's node), idle expiry
 * after SessionTimeout minutes of the SIMULATED clock, logout, forced expiry, and node recycling (a
 * load-balanced install whose node restarted: sessions on it are gone; erp-facts saw 403 there).
 *
 * For tests of clients under load, a session can also end after a number of requests (`lifetimeRequests`):
 * not an SL setting, but the way to make a session expire while a client has several requests in flight
 * (issue #11: "a session that lasts 37 requests"). Logins are counted in total and per expiry
 * (`loginRounds`), since every login is a licensed SAP session that lingers until its idle timeout.
 */
import { randomUUID } from 'node:crypto';
import type { SimClock } from './clock';

export interface Session {
	id: string;
	user: string;
	companyDb: string;
	/** ROUTEID value, e.g. ".node1" */
	node: string;
	createdAt: number;
	lastUsed: number;
	/** requests served with this session */
	uses: number;
}

export type SessionCheck =
	| { ok: true; session: Session }
	| { ok: false; reason: 'missing' | 'unknown' | 'expired' | 'route' };

export class Sessions {
	private byId = new Map<string, Session>();
	private nodeNo = 1;
	/** logins so far (a slow operation on real SL — count them to catch clients that log in per request) */
	logins = 0;
	/** sessions that ended other than by Logout: idle timeout met, lifetime used up, expireAll, node recycled */
	expiries = 0;
	/**
	 * logins between expiries: [before the first expiry, after the 1st, after the 2nd, …]. A client that
	 * renews its session once per expiry shows [1, 1, 1, …]; one that logs in per request in flight, more.
	 */
	loginRounds: number[] = [0];

	constructor(
		private clock: SimClock,
		readonly timeoutMinutes: number,
		/** when true a request must carry the ROUTEID of its session's node (load-balanced install) */
		private requireRouteId: boolean,
		/** a session ends after serving this many requests (0 = only by idle time, as SL) */
		readonly lifetimeRequests = 0,
	) {}

	private ended(): void {
		this.expiries++;
		this.loginRounds.push(0);
	}

	get node(): string {
		return `.node${this.nodeNo}`;
	}

	create(user: string, companyDb: string): Session {
		const now = this.clock.now();
		const s: Session = { id: randomUUID(), user, companyDb, node: this.node, createdAt: now, lastUsed: now, uses: 0 };
		this.byId.set(s.id, s);
		this.logins++;
		this.loginRounds[this.loginRounds.length - 1]++;
		return s;
	}

	/** validates the Cookie header and, when valid, counts the request as activity */
	check(cookieHeader: string | undefined): SessionCheck {
		const cookies = parseCookies(cookieHeader);
		const id = cookies.get('B1SESSION');
		if (!id) return { ok: false, reason: 'missing' };
		const s = this.byId.get(id);
		if (!s) return { ok: false, reason: 'unknown' };
		const now = this.clock.now();
		if (now - s.lastUsed > this.timeoutMinutes * 60_000) {
			this.byId.delete(id);
			this.ended();
			return { ok: false, reason: 'expired' };
		}
		if (this.requireRouteId && cookies.get('ROUTEID') !== s.node) return { ok: false, reason: 'route' };
		s.lastUsed = now;
		s.uses++;
		if (this.lifetimeRequests > 0 && s.uses >= this.lifetimeRequests) {
			// this request is still served; the next one with the session meets 401 code 301 (or 403)
			this.byId.delete(id);
			this.ended();
		}
		return { ok: true, session: s };
	}

	logout(id: string): void {
		this.byId.delete(id);
	}

	/** every session ends now (the next request with any of them answers 401 code 301, or 403) */
	expireAll(): number {
		const n = this.byId.size;
		this.byId.clear();
		for (let i = 0; i < n; i++) this.ended();
		return n;
	}

	/** the node restarts: its sessions are lost and new logins get the next ROUTEID (.node2, …) */
	recycleNode(): string {
		const old = this.node;
		for (const [id, s] of this.byId)
			if (s.node === old) {
				this.byId.delete(id);
				this.ended();
			}
		this.nodeNo++;
		return this.node;
	}

	get active(): Session[] {
		const now = this.clock.now();
		return [...this.byId.values()].filter((s) => now - s.lastUsed <= this.timeoutMinutes * 60_000);
	}

	clear(): void {
		this.byId.clear();
		this.nodeNo = 1;
		this.logins = 0;
		this.expiries = 0;
		this.loginRounds = [0];
	}
}

/** Cookie header parsed by hand (name=value pairs separated by ';') */
export function parseCookies(header: string | undefined): Map<string, string> {
	const out = new Map<string, string>();
	if (!header) return out;
	for (const part of header.split(';')) {
		const eq = part.indexOf('=');
		if (eq < 0) continue;
		const name = part.slice(0, eq).trim();
		if (name && !out.has(name)) out.set(name, part.slice(eq + 1).trim());
	}
	return out;
}
