/**
 * The portal's order claims (docs/portal-api.yaml, /v1/orders/{number}/claim): a lease per order that lets
 * exactly one run — on any n8n worker — create the order's ERP document. Everything here is synchronous, so
 * within the simulator's single Node process no other request can run between the check and the take.
 *
 * Leases expire by the simulator's clock (`PortalClock`: the wall clock plus an offset tests can move), never
 * by the client's. `log` records every decision so tests can see who got the order and who was turned away.
 */

/**
 * The simulator's clock: real time plus an offset tests can move (advance, setOffset), or frozen at one instant
 * (freeze). It is the portal's one clock, as a real portal server has one: leases and stock holds expire by it, the
 * HTTP Date header of every answer and the timestamps webhooks are signed with come from it.
 */
export class PortalClock {
	private offsetMs = 0;
	private frozenAt: number | undefined;

	now(): number {
		return this.frozenAt ?? Date.now() + this.offsetMs;
	}

	/** moves the clock forward (or back, with a negative value) */
	advance(ms: number): void {
		if (this.frozenAt !== undefined) this.frozenAt += ms;
		else this.offsetMs += ms;
	}

	/**
	 * sets the clock `ms` away from real time (a portal server whose clock is wrong: +600_000 = ten minutes
	 * ahead), running; 0 puts it right again. Unlike advance(), setting it twice does not add up.
	 */
	setOffset(ms: number): void {
		this.frozenAt = undefined;
		this.offsetMs = ms;
	}

	/** how far the clock is from real time, in ms */
	offset(): number {
		return this.now() - Date.now();
	}

	/** stops the clock (at now, or at the given instant) until reset(): exact lease boundaries in tests */
	freeze(atMs: number = this.now()): void {
		this.frozenAt = atMs;
	}

	reset(): void {
		this.offsetMs = 0;
		this.frozenAt = undefined;
	}
}

export interface Claim {
	orderNumber: string;
	owner: string;
	/** ms since the epoch, by the portal's clock */
	claimedAtMs: number;
	expiresAtMs: number;
	/** how many times the order has been claimed by a new owner, this claim included (a renewal keeps it) */
	attempt: number;
}

export type ClaimDecision = 'claimed' | 'renewed' | 'busy' | 'done' | 'released' | 'notReleased' | 'closed';

export interface ClaimLogEntry {
	seq: number;
	at: string;
	orderNumber: string;
	/** the requester (for 'closed': the owner whose claim the order's acknowledgement or status change ended) */
	owner: string;
	decision: ClaimDecision;
	/** for busy / notReleased: the owner holding the live lease; for claimed: the owner whose lease had expired */
	other?: string;
}

export type ClaimOutcome =
	| { kind: 'claimed'; claim: Claim; renewed: boolean; tookOverFrom?: string }
	| { kind: 'busy'; holder: Claim }
	| { kind: 'done'; orderStatus: string };

export class ClaimLedger {
	/** by order number; an entry may be expired (it is replaced by the next claim) */
	readonly claims = new Map<string, Claim>();
	readonly log: ClaimLogEntry[] = [];
	/** claims taken per order, kept after a release or an expiry (that is what makes an attempt count) */
	readonly attempts = new Map<string, number>();
	private seq = 0;

	constructor(readonly clock: PortalClock) {}

	private record(entry: Omit<ClaimLogEntry, 'seq' | 'at'>): void {
		this.log.push({ seq: ++this.seq, at: new Date(this.clock.now()).toISOString(), ...entry });
	}

	/** a lease counts while the portal's clock is before its end */
	isLive(claim: Claim | undefined): claim is Claim {
		return claim !== undefined && this.clock.now() < claim.expiresAtMs;
	}

	/** the atomic check-and-take: done (order not placed), busy (another live owner) or claimed/renewed */
	claim(orderNumber: string, orderStatus: string, owner: string, leaseSeconds: number): ClaimOutcome {
		if (orderStatus !== 'placed') {
			this.record({ orderNumber, owner, decision: 'done' });
			return { kind: 'done', orderStatus };
		}
		const now = this.clock.now();
		const current = this.claims.get(orderNumber);
		if (this.isLive(current) && current.owner !== owner) {
			this.record({ orderNumber, owner, decision: 'busy', other: current.owner });
			return { kind: 'busy', holder: { ...current } };
		}
		const renewed = this.isLive(current) && current.owner === owner;
		const tookOverFrom = current && !renewed && current.owner !== owner ? current.owner : undefined;
		const attempt = renewed ? current.attempt : (this.attempts.get(orderNumber) ?? 0) + 1;
		this.attempts.set(orderNumber, attempt);
		const claim: Claim = {
			orderNumber,
			owner,
			claimedAtMs: renewed ? current.claimedAtMs : now,
			expiresAtMs: now + leaseSeconds * 1000,
			attempt,
		};
		this.claims.set(orderNumber, claim);
		this.record({
			orderNumber,
			owner,
			decision: renewed ? 'renewed' : 'claimed',
			...(tookOverFrom ? { other: tookOverFrom } : {}),
		});
		return { kind: 'claimed', claim: { ...claim }, renewed, ...(tookOverFrom ? { tookOverFrom } : {}) };
	}

	/** DELETE by the owner: only its own claim (live or expired) is dropped; another owner's live lease stays */
	release(orderNumber: string, owner: string): { released: boolean; holder?: Claim } {
		const current = this.claims.get(orderNumber);
		if (current?.owner === owner) {
			this.claims.delete(orderNumber);
			this.record({ orderNumber, owner, decision: 'released' });
			return { released: true };
		}
		const holder = this.isLive(current) ? { ...current } : undefined;
		this.record({ orderNumber, owner, decision: 'notReleased', ...(holder ? { other: holder.owner } : {}) });
		return { released: false, ...(holder ? { holder } : {}) };
	}

	/** the order left `placed` (acknowledged, confirmed, rejected, …): its claim ends, whoever held it */
	close(orderNumber: string): void {
		const current = this.claims.get(orderNumber);
		if (!current) return;
		this.claims.delete(orderNumber);
		this.record({ orderNumber, owner: current.owner, decision: 'closed' });
	}

	/** live claims now (for tests and the admin endpoint) */
	live(): Claim[] {
		return [...this.claims.values()].filter((c) => this.isLive(c)).map((c) => ({ ...c }));
	}

	reset(): void {
		this.claims.clear();
		this.attempts.clear();
		this.log.length = 0;
		this.seq = 0;
	}
}
