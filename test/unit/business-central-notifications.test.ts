/**
 * Reading Business Central change notifications (nodes/BusinessCentralTrigger/notifications.ts): the resource forms
 * of MicrosoftDocs' sample payload, the collection filter (both spellings), and the clientState / subscription checks.
 */
import { parseNotificationResource, readNotification } from '../../nodes/BusinessCentralTrigger/notifications';
import { needsRenewal, sameResource } from '../../nodes/BusinessCentralTrigger/subscription';

const CO = 'b18aed47-c385-49d2-b954-dbdf8ad71780';
const ours = { subscriptionId: 'webhookItemsId', clientState: 'tajny-ąę' };
const entry = (over: Record<string, unknown> = {}) => ({
	subscriptionId: 'webhookItemsId',
	clientState: 'tajny-ąę',
	expirationDateTime: '2018-10-29T07:52:31Z',
	resource: `api/v2.0/companies(${CO})/items(26814998-936a-401c-81c1-0e848a64971d)`,
	changeType: 'updated',
	lastModifiedDateTime: '2018-10-26T12:54:20.467Z',
	...over,
});

describe('parseNotificationResource', () => {
	it('reads company, entity and id with or without the leading slash', () => {
		for (const r of [
			`api/v2.0/companies(${CO})/customers(130bbd17-dbb9-4790-9b12-2b0e9c9d22c3)`,
			`/api/v2.0/companies(${CO})/customers(130bbd17-dbb9-4790-9b12-2b0e9c9d22c3)`,
		])
			expect(parseNotificationResource(r)).toEqual({
				companyId: CO,
				entity: 'customers',
				id: '130bbd17-dbb9-4790-9b12-2b0e9c9d22c3',
				changedSince: null,
			});
	});

	it('reads the time of a collection filter, in both spellings the documentation uses', () => {
		expect(
			parseNotificationResource(
				`/api/v2.0/companies(${CO})/salesInvoices?$filter=lastDateTimeModified%20gt%202018-10-15T11:00:00Z`,
			),
		).toEqual({ companyId: CO, entity: 'salesInvoices', id: null, changedSince: '2018-10-15T11:00:00Z' });
		expect(
			parseNotificationResource(
				`/api/v2.0/companies(${CO})/items?$filter=lastModifiedDateTime gt 2026-12-01T07:59:59.123Z`,
			).changedSince,
		).toBe('2026-12-01T07:59:59.123Z');
	});
});

describe('readNotification', () => {
	it('one item per entry, canonical resource names, collection flagged', () => {
		const v = readNotification(
			{
				value: [
					entry(),
					entry({
						changeType: 'collection',
						resource: `/api/v2.0/companies(${CO})/items?$filter=lastModifiedDateTime%20gt%202018-10-15T11:00:00Z`,
					}),
				],
			},
			ours,
		);
		expect(v).toEqual({
			ok: true,
			expirationDateTime: '2018-10-29T07:52:31Z',
			items: [
				{
					resource: 'product',
					changeType: 'updated',
					id: '26814998-936a-401c-81c1-0e848a64971d',
					lastModifiedDateTime: '2018-10-26T12:54:20.467Z',
					collection: false,
					changedSince: null,
					companyId: CO,
					entity: 'items',
					subscriptionId: 'webhookItemsId',
				},
				{
					resource: 'product',
					changeType: 'collection',
					id: null,
					lastModifiedDateTime: '2018-10-26T12:54:20.467Z',
					collection: true,
					changedSince: '2018-10-15T11:00:00Z',
					companyId: CO,
					entity: 'items',
					subscriptionId: 'webhookItemsId',
				},
			],
		});
	});

	it.each([
		['a wrong clientState', { value: [entry(), entry({ clientState: 'tajny-ąe' })] }, /notification 2 does not carry/],
		['a missing clientState', { value: [entry({ clientState: undefined })] }, /does not carry/],
		['another subscription', { value: [entry({ subscriptionId: 'other' })] }, /subscription "other"/],
		['no value list', { foo: 1 }, /no "value" list/],
		['a null body', null, /no "value" list/],
	])('refuses %s as a whole', (_name, body, reason) => {
		const v = readNotification(body, ours);
		expect(v.ok).toBe(false);
		expect(!v.ok && v.reason).toMatch(reason);
	});

	it('refuses everything while the trigger has no subscription', () => {
		expect(readNotification({ value: [entry()] }, {}).ok).toBe(false);
		expect(
			readNotification({ value: [entry({ clientState: '' })] }, { subscriptionId: 'webhookItemsId', clientState: '' })
				.ok,
		).toBe(false);
	});
});

describe('renewal rule and resource comparison', () => {
	const now = Date.parse('2026-12-07T12:00:00Z');
	it('renews when less than the margin is left, or the expiry is unknown', () => {
		expect(needsRenewal({ expirationDateTime: '2026-12-08T11:59:59Z' }, 24 * 3600_000, now)).toBe(true);
		expect(needsRenewal({ expirationDateTime: '2026-12-08T12:00:01Z' }, 24 * 3600_000, now)).toBe(false);
		expect(needsRenewal({}, 24 * 3600_000, now)).toBe(true);
	});

	it('a resource written relative, absolute or with a slash is the same', () => {
		const rel = `/api/v2.0/companies(${CO})/items`;
		expect(sameResource(rel, `api/v2.0/companies(${CO})/items`)).toBe(true);
		expect(
			sameResource(rel, `https://api.businesscentral.dynamics.com/v2.0/t/production/api/v2.0/companies(${CO})/items`),
		).toBe(true);
		expect(sameResource(rel, `/api/v2.0/companies(${CO})/customers`)).toBe(false);
	});
});
