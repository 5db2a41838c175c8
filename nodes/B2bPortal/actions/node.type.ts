import type { AllEntities } from 'n8n-workflow';

type NodeMap = {
	product: 'upsert';
	productImage: 'upsert' | 'fromBinary';
	price: 'upsert';
	stock: 'upsert' | 'reserve' | 'release';
	client: 'upsert';
	order: 'getNew' | 'get' | 'acknowledge' | 'updateStatus' | 'claim' | 'releaseClaim';
	invoice: 'upload';
	syncStatus: 'record' | 'getAll' | 'findOverdue';
};

export type B2bPortalType = AllEntities<NodeMap>;
