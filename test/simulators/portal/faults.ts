/** The portal simulator's faults: the shared implementation (../common/faults.ts), one endpoint. */
import { Faults as CommonFaults, type Fault as CommonFault, type FaultSpec as CommonFaultSpec } from '../common/faults';

export type { FaultKind } from '../common/faults';
export type FaultSpec = CommonFaultSpec<'portal'>;
export type Fault = CommonFault<'portal'>;

export class Faults extends CommonFaults<'portal'> {
	constructor() {
		super('portal');
	}
}
