import { type ComponentType } from 'react';

import { type Role } from '../api/types';
import { AlertsView } from '../views/alerts-view';
import { BatchesView } from '../views/batches-view';
import { CatalogAdminView } from '../views/catalog-admin-view';
import { CatalogView } from '../views/catalog-view';
import { FleetView } from '../views/fleet-view';
import { InvoicesView } from '../views/invoices-view';
import { KeysView } from '../views/keys-view';
import { PerformanceView } from '../views/performance-view';
import { RequestsView } from '../views/requests-view';
import { TenantsView } from '../views/tenants-view';
import { UsageView } from '../views/usage-view';

export interface ViewDef {
  id: string;
  label: string;
  component: ComponentType;
  /** The roles whose keys the API lets read what the view shows. */
  roles: readonly Role[];
}

// In menu order. A role sees only the views its key can fill: the API would refuse the rest.
export const views: readonly ViewDef[] = [
  { id: 'fleet', label: 'Fleet', component: FleetView, roles: ['operator'] },
  { id: 'tenants', label: 'Tenants', component: TenantsView, roles: ['operator'] },
  { id: 'alerts', label: 'Alerts', component: AlertsView, roles: ['operator'] },
  { id: 'catalog-admin', label: 'Catalog admin', component: CatalogAdminView, roles: ['operator'] },
  { id: 'usage', label: 'Usage', component: UsageView, roles: ['tenant_admin', 'finance'] },
  { id: 'performance', label: 'Performance', component: PerformanceView, roles: ['tenant_admin'] },
  { id: 'requests', label: 'Requests', component: RequestsView, roles: ['tenant_admin'] },
  { id: 'keys', label: 'API keys', component: KeysView, roles: ['tenant_admin'] },
  { id: 'batches', label: 'Batches', component: BatchesView, roles: ['tenant_admin', 'developer'] },
  {
    id: 'invoices',
    label: 'Invoices',
    component: InvoicesView,
    roles: ['tenant_admin', 'finance'],
  },
  {
    id: 'models',
    label: 'Models',
    component: CatalogView,
    roles: ['operator', 'tenant_admin', 'developer', 'finance'],
  },
];

export const viewsFor = (role: Role): ViewDef[] => views.filter((v) => v.roles.includes(role));
