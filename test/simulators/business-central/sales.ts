/**
 * Sales orders and invoices of the Business Central simulator — filled by the orders work (h18-orders).
 * server.ts registers `salesRoutes` (company-scope routes such as /salesOrders) and calls installSales(ctx) once at
 * start; $batch sub-requests go through the same router, so a batch covers these routes too.
 */
import type { BcContext, BcRoute } from './core';

export const salesRoutes: BcRoute[] = [];

export function installSales(ctx: BcContext): void {
	void ctx;
}
