/**
 * The set-up check's result: one row per check, ✓ or ✗, and for each ✗ the fix in Polish and English. The exit
 * code is 1 when any row is ✗. A "?" row is something the check could not verify (it says why, and how to verify
 * it): listed with the fixes, not counted as a failure, since nothing was found wrong. Texts name the workflow, the
 * node and the value, never a secret.
 */
import { withinWebhookWindow } from '../../nodes/shared/webhookWindow';
import type { Reference } from './erp-checks';

export interface CheckRow {
	/** what was checked, e.g. `credential sapB1Api "SAP – spółka"` */
	check: string;
	/** the workflow that needs it, or how many do */
	workflow: string;
	ok: boolean;
	/** with ok false: not verified (a "?" row), not found wrong */
	unverified?: boolean;
	detail: string;
	fix?: { pl: string; en: string };
}

const KIND = {
	warehouse: { pl: 'magazyn', en: 'warehouse', plList: 'magazyny', enList: 'warehouses' },
	priceList: { pl: 'cennik', en: 'price list', plList: 'cenniki', enList: 'price lists' },
} as const;

/** `ok`: whether the ERP has it, where the ERP's node matches otherwise than by exact text (cli/check/erp-checks.ts) */
export function referenceRow(ref: Reference, available: string[], ok = available.includes(ref.value)): CheckRow {
	const k = KIND[ref.kind];
	const check = `${k.en} ${ref.value} in ${ref.erp}`;
	const where = `"${ref.workflow}" → "${ref.node}"`;
	if (ok) return { check, workflow: ref.workflow, ok, detail: `${ref.erp} has ${k.en} ${ref.value}` };
	const known = available.length ? available.join(', ') : '—';
	return {
		check,
		workflow: ref.workflow,
		ok,
		detail: `${ref.erp} has no ${k.en} ${ref.value} (its ${k.enList}: ${known})`,
		fix: {
			pl: `W ${where} wybierz istniejący ${k.pl} (${k.plList} w ${ref.erp}: ${known}) albo załóż ${k.pl} ${ref.value} w ${ref.erp}.`,
			en: `In ${where} pick an existing ${k.en} (${ref.erp}'s ${k.enList}: ${known}) or create ${k.en} ${ref.value} in ${ref.erp}.`,
		},
	};
}

/** A warehouse / price list the check could not look up: "?" with the reason and how to verify it. */
export function unverifiedRow(ref: Reference, reason: string): CheckRow {
	const k = KIND[ref.kind];
	const where = `"${ref.workflow}" → "${ref.node}"`;
	return {
		check: `${k.en} ${ref.value} in ${ref.erp}`,
		workflow: ref.workflow,
		ok: false,
		unverified: true,
		detail: `not verified: ${reason}`,
		fix: {
			pl: `${where} używa: ${k.pl} ${ref.value}. Sprawdź w ${ref.erp}, że ${k.pl} ${ref.value} istnieje, albo dodaj w n8n do węzła ${ref.erp} tego zestawu dane logowania, którymi check może odczytać ${k.plList} (dla Subiekt GT i Optimy: SQL Server, tylko odczyt) i uruchom check ponownie.`,
			en: `${where} uses ${k.en} ${ref.value}. Check in ${ref.erp} that ${k.en} ${ref.value} exists, or give a ${ref.erp} node of this set-up in n8n a credential the check can list ${k.enList} with (for Subiekt GT and Optima: SQL Server, read only) and run check again.`,
		},
	};
}

/** One workflow by name; several as a count (a set-up has a dozen: the full list made the table unreadable). */
const usedBy = (workflows: string[]) => (workflows.length === 1 ? workflows[0] : `${workflows.length} workflows`);

export function credentialRow(
	c: { type: string; name: string; id: string },
	workflows: string[],
	failure?: string,
): CheckRow {
	const check = `credential ${c.type} "${c.name}" (${c.id})`;
	const workflow = usedBy(workflows);
	if (failure === undefined) return { check, workflow, ok: true, detail: 'connects' };
	return {
		check,
		workflow,
		ok: false,
		detail: failure,
		fix: {
			pl: `Otwórz w n8n dane logowania "${c.name}" (Credentials), popraw adres, użytkownika lub hasło i zapisz; n8n pokaże, czy połączenie działa.`,
			en: `Open the credential "${c.name}" in n8n (Credentials), correct the address, user or password and save; n8n shows whether it connects.`,
		},
	};
}

/** The portal answers its API with the portal credential (the credential's own test, run by n8n). */
export function portalRow(c: { name: string; id: string }, workflows: string[], failure?: string): CheckRow {
	const check = `portal answers (credential "${c.name}" (${c.id}))`;
	const workflow = usedBy(workflows);
	if (failure === undefined) return { check, workflow, ok: true, detail: 'answers' };
	return {
		check,
		workflow,
		ok: false,
		detail: failure,
		fix: {
			pl: `Sprawdź Base URL i API Key w danych logowania "${c.name}" w n8n oraz czy portal działa i jest osiągalny z maszyny n8n (zapora, DNS, VPN).`,
			en: `Check Base URL and API Key of the credential "${c.name}" in n8n, and that the portal is up and reachable from n8n's machine (firewall, DNS, VPN).`,
		},
	};
}

export interface ClockReading {
	portalTime: string;
	n8nTime: string;
	/** portal − n8n, whole seconds */
	clockDifferenceSeconds: number;
	webhookWindowSeconds: number;
}

/**
 * The portal's clock against n8n's, as the portal node's Connection → Check measured it inside n8n: the B2B Portal
 * Trigger refuses a signed webhook whose timestamp is further than its window (default 300 s,
 * nodes/shared/webhookWindow.ts) from n8n's clock. `reading` is the reason when the clock could not be read.
 */
export function clockRow(
	c: { name: string; id: string },
	workflows: string[],
	reading: ClockReading | string,
): CheckRow {
	const windowSeconds = typeof reading === 'string' ? undefined : reading.webhookWindowSeconds;
	const check = `portal clock within ${windowSeconds ?? 'the webhook window'}${windowSeconds ? ' s' : ''} of n8n's (credential "${c.name}" (${c.id}))`;
	const workflow = usedBy(workflows);
	if (typeof reading === 'string')
		return {
			check,
			workflow,
			ok: false,
			detail: reading,
			fix: {
				pl: `Uruchom w n8n węzeł B2B Portal → Connection → Check z danymi logowania "${c.name}": pokaże, czy portal odpowiada i wysyła nagłówek Date (serwer proxy przed portalem mógł go usunąć).`,
				en: `Run the B2B Portal node's Connection → Check in n8n with the credential "${c.name}": it shows whether the portal answers and sends a Date header (a proxy in front of the portal may drop it).`,
			},
		};
	const skew = reading.clockDifferenceSeconds;
	const w = reading.webhookWindowSeconds;
	const difference = `${skew >= 0 ? '+' : ''}${skew} s`;
	const times = `portal ${reading.portalTime}, n8n ${reading.n8nTime}`;
	if (withinWebhookWindow(skew, w)) return { check, workflow, ok: true, detail: `${difference} (${times})` };
	return {
		check,
		workflow,
		ok: false,
		detail: `${difference} (${times}): the B2B Portal Trigger refuses webhooks signed more than ${w} s from n8n's clock`,
		fix: {
			pl: `Zegar portalu różni się od zegara n8n o ${difference} (${skew > 0 ? 'portal się spieszy' : 'portal się spóźnia'}), a wyzwalacz B2B Portal Trigger przyjmuje najwyżej ${w} s: zsynchronizuj zegary (NTP) serwera portalu i maszyny n8n. Do tego czasu webhooki zamówień są odrzucane (401), a zamówienia docierają tylko przez odpytywanie w szablonach zamówień (co 5 minut).`,
			en: `The portal's clock is ${difference} from n8n's (the portal is ${skew > 0 ? 'ahead' : 'behind'}) and the B2B Portal Trigger allows at most ${w} s: synchronise the clocks (NTP) of the portal server and n8n's machine. Until then order webhooks are refused (401) and orders arrive only through the orders templates' 5-minute poll.`,
		},
	};
}

/** The table: ✓/✗, check, workflow, detail; below it, each ✗'s fix in Polish and English. */
export function checkTable(rows: CheckRow[]): string {
	const head = ['', 'check', 'workflow', 'detail'];
	const mark = (r: CheckRow) => (r.ok ? '✓' : r.unverified ? '?' : '✗');
	const cells = rows.map((r) => [mark(r), r.check, r.workflow, r.detail]);
	const width = head.map((h, i) => Math.max(h.length, ...cells.map((c) => [...c[i]].length)));
	const line = (c: string[]) =>
		c
			.map((v, i) => v + ' '.repeat(width[i] - [...v].length))
			.join('  ')
			.trimEnd();
	const out = [line(head), line(width.map((w) => '-'.repeat(w))), ...cells.map(line)];
	const failed = rows.filter((r) => !r.ok && !r.unverified);
	const unverified = rows.filter((r) => r.unverified);
	if (failed.length || unverified.length) {
		out.push('', 'Do poprawienia / To fix:');
		[...failed, ...unverified].forEach((r, i) =>
			out.push(`${i + 1}. ${mark(r)} ${r.check}`, `   PL: ${r.fix?.pl ?? ''}`, `   EN: ${r.fix?.en ?? ''}`),
		);
	}
	const ok = rows.filter((r) => r.ok).length;
	out.push('', `${ok} ✓, ${failed.length} ✗${unverified.length ? `, ${unverified.length} ?` : ''}`);
	return out.join('\n');
}

export const exitCode = (rows: CheckRow[]): number => (rows.some((r) => !r.ok && !r.unverified) ? 1 : 0);
