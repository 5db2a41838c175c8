/**
 * Webhook subscriptions of the Business Central simulator — filled by the trigger work (h18-trigger).
 * server.ts registers `subscriptionRoutes` (root-scope routes such as /subscriptions) and calls
 * installSubscriptions(ctx) once at start; ctx.onChange() reports every change to items, customers, salesOrders and
 * salesInvoices.
 */
import type { BcContext, BcRoute } from './core';

export const subscriptionRoutes: BcRoute[] = [];

export function installSubscriptions(ctx: BcContext): void {
	void ctx;
}
