/**
 * Dynamic WebAPI sessions (erp-facts-enova-optima §1 [S6][S8]). The app token generated in enova is an RS256 JWT
 * (`iss https://www.enova.pl`, `aud enova365`, `ath-mth "1024"`, `ath-db`, `ath-guid`, `ath-svc "Api"`, 365 days);
 * `POST /api/LoginApi` with it as Bearer gives a session token (`ath-mth "2048"`, `unique_name` = operator,
 * `ath-svc "Api <Class>"`, `ath-hnd`, **exp = iat + 300 s**). The tokens here are JWT-shaped (three base64url
 * parts, the claims above) with a random signature — a client must treat them as opaque, as it must with enova's.
 *
 * A session dies `lifetimeSeconds` after its login on the SIMULATED clock, used or not (the JWT's exp; using it
 * does not extend it — the stricter reading of "5 min"). Logins are counted in total and between expiries
 * (`loginRounds`), so a test can see a client that renews once per expiry ([1, 1, …]) from one that logs in per
 * request in flight.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { SimClock } from '../common/clock';

export interface EnovaSession {
	token: string;
	handle: string;
	operator: string;
	iat: number;
	exp: number;
	uses: number;
	/** counted once in `expiries` */
	expiredCounted: boolean;
}

export type SessionCheck =
	| { ok: true; session: EnovaSession }
	| { ok: false; reason: 'missing' | 'unknown' | 'expired' };

const b64url = (v: unknown) => Buffer.from(JSON.stringify(v), 'utf8').toString('base64url');

export function jwtLike(claims: Record<string, unknown>): string {
	return `${b64url({ alg: 'RS256', typ: 'JWT', kid: 'enova365' })}.${b64url(claims)}.${randomBytes(64).toString('base64url')}`;
}

/** the claims of a JWT-shaped token (no signature check), or undefined */
export function decodeClaims(token: string): Record<string, unknown> | undefined {
	const parts = token.split('.');
	if (parts.length !== 3) return undefined;
	try {
		return JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as Record<string, unknown>;
	} catch {
		return undefined;
	}
}

export function bearer(header: string | undefined): string | undefined {
	const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
	return m?.[1];
}

export class Sessions {
	private byToken = new Map<string, EnovaSession>();
	/** successful LoginApi calls */
	logins = 0;
	/** sessions that died by time (counted when first refused, or by expireAll) */
	expiries = 0;
	/** LoginApi calls refused (bad or expired app token) */
	failedLogins = 0;
	logouts = 0;
	/** logins between expiries: [before the first expiry, after the 1st, …] */
	loginRounds: number[] = [0];

	constructor(
		private clock: SimClock,
		readonly lifetimeSeconds: number,
		readonly serviceClass: string,
		readonly database: string,
	) {}

	create(operator: string): EnovaSession {
		const iat = Math.floor(this.clock.now() / 1000);
		const handle = String(100000 + Math.floor(Math.random() * 900000));
		const token = jwtLike({
			iss: 'https://www.enova.pl',
			aud: 'enova365',
			unique_name: operator,
			'ath-mth': '2048',
			'ath-svc': `Api ${this.serviceClass}`,
			'ath-hnd': handle,
			'ath-db': this.database,
			'ath-guid': randomUUID(),
			nbf: iat,
			iat,
			exp: iat + this.lifetimeSeconds,
		});
		const s: EnovaSession = {
			token,
			handle,
			operator,
			iat,
			exp: iat + this.lifetimeSeconds,
			uses: 0,
			expiredCounted: false,
		};
		this.byToken.set(token, s);
		this.logins++;
		this.loginRounds[this.loginRounds.length - 1]++;
		return s;
	}

	private ended(s: EnovaSession): void {
		if (s.expiredCounted) return;
		s.expiredCounted = true;
		this.expiries++;
		this.loginRounds.push(0);
	}

	check(authorization: string | undefined): SessionCheck {
		const token = bearer(authorization);
		if (!token) return { ok: false, reason: 'missing' };
		const s = this.byToken.get(token);
		if (!s) return { ok: false, reason: 'unknown' };
		if (this.clock.now() / 1000 >= s.exp) {
			this.ended(s);
			return { ok: false, reason: 'expired' };
		}
		s.uses++;
		return { ok: true, session: s };
	}

	logout(s: EnovaSession): void {
		this.byToken.delete(s.token);
		this.logouts++;
	}

	/** sessions still alive on the simulated clock */
	get active(): EnovaSession[] {
		const now = this.clock.now() / 1000;
		return [...this.byToken.values()].filter((s) => now < s.exp);
	}

	/** every session dies now (an enova restart); tokens answer as expired */
	expireAll(): void {
		const now = Math.floor(this.clock.now() / 1000);
		for (const s of this.byToken.values()) {
			if (now < s.exp) {
				s.exp = now;
				this.ended(s);
			}
		}
	}

	clear(): void {
		this.byToken.clear();
		this.logins = 0;
		this.expiries = 0;
		this.failedLogins = 0;
		this.logouts = 0;
		this.loginRounds = [0];
	}
}
