/** The menu (grouped, permission-gated) and the route table behind it. */
import { lazy, Suspense, type ComponentType, type ReactNode } from 'react';
import { Loading } from './components/common';
import type { MessageKey } from './i18n';
import { matchPath } from './router';
import type { Session } from './session';
import { AlertDetailView } from './views/alert-detail';
import { AlertQueueView } from './views/alert-queue';
import { NotFoundView } from './views/not-found';

/**
 * The alert queue and detail (the first view of most users) are in the main bundle; every other
 * view is a chunk fetched when first opened, so login → first rows parses less script.
 */
function lazyView<P extends object>(load: () => Promise<ComponentType<P>>): ComponentType<P> {
  return lazy(async () => ({ default: await load() }));
}
const AttackMatrixView = lazyView(async () => (await import('./views/attack-matrix')).AttackMatrixView);
const CollectorHealthView = lazyView(async () => (await import('./views/collector-health')).CollectorHealthView);
const DevicePageView = lazyView<{ id: string }>(async () => (await import('./views/device-page')).DevicePageView);
const DeviceListView = lazyView(async () => (await import('./views/devices')).DeviceListView);
const EventSearchView = lazyView(async () => (await import('./views/event-search')).EventSearchView);
const FlowsView = lazyView(async () => (await import('./views/flows')).FlowsView);
const IncidentListView = lazyView(async () => (await import('./views/incident-list')).IncidentListView);
const IncidentDetailView = lazyView<{ id: string }>(async () => (await import('./views/incident-detail')).IncidentDetailView);
const RulesView = lazyView(async () => (await import('./views/rules')).RulesView);
const TokensView = lazyView(async () => (await import('./views/tokens')).TokensView);
const UsersView = lazyView(async () => (await import('./views/users')).UsersView);
const SuppressionsView = lazyView(async () => (await import('./views/suppressions')).SuppressionsView);
const IntelView = lazyView(async () => (await import('./views/intel')).IntelView);
const AgentsView = lazyView(async () => (await import('./views/agents')).AgentsView);
const AgenciesView = lazyView(async () => (await import('./views/agencies')).AgenciesView);
const RetentionView = lazyView(async () => (await import('./views/retention')).RetentionView);
const AuditView = lazyView(async () => (await import('./views/audit')).AuditView);
const PlaybooksView = lazyView(async () => (await import('./views/playbooks')).PlaybooksView);
const PlaybookRunView = lazyView<{ id: string }>(async () => (await import('./views/playbook-run')).PlaybookRunView);
const ComplianceSystemsView = lazyView(async () => (await import('./views/compliance-systems')).ComplianceSystemsView);
const ComplianceSystemView = lazyView<{ id: string }>(async () => (await import('./views/compliance-system')).ComplianceSystemView);
export const WallView = lazyView(async () => (await import('./views/wall')).WallView);

export function ViewSuspense(props: { children: ReactNode }): ReactNode {
  return <Suspense fallback={<Loading />}>{props.children}</Suspense>;
}

/** One permission, or a list of which any one is enough (compliance: reports:read or compliance:manage). */
export type Needs = string | readonly string[];

export interface MenuItem {
  id: string;
  path: string;
  label: MessageKey;
  permission: Needs;
}

const COMPLIANCE: Needs = ['reports:read', 'compliance:manage'];
/** Admin and agency_admin (granted by dashboards/http.ts); the list itself is open to every user (the agency selector). */
const AGENCIES: Needs = 'agencies:read';

export function allowed(session: Pick<Session, 'can'>, needs: Needs): boolean {
  return typeof needs === 'string' ? session.can(needs) : needs.some((p) => session.can(p));
}

export interface MenuGroup {
  label: MessageKey;
  items: MenuItem[];
}

export const MENU: MenuGroup[] = [
  {
    label: 'menu.soc',
    items: [
      { id: 'alerts', path: '/alerts', label: 'menu.alerts', permission: 'alerts:read' },
      { id: 'incidents', path: '/incidents', label: 'menu.incidents', permission: 'incidents:read' },
      { id: 'events', path: '/events', label: 'menu.events', permission: 'events:read' },
      { id: 'suppressions', path: '/alerts/suppressions', label: 'menu.suppressions', permission: 'alerts:read' },
      { id: 'intel', path: '/intel', label: 'menu.intel', permission: 'intel:read' },
      { id: 'playbooks', path: '/playbooks', label: 'menu.playbooks', permission: 'playbooks:read' },
      { id: 'attack', path: '/attack', label: 'menu.attack', permission: 'rules:read' },
    ],
  },
  {
    label: 'menu.noc',
    items: [
      { id: 'health', path: '/noc/health', label: 'menu.health', permission: 'metrics:read' },
      { id: 'devices', path: '/noc/devices', label: 'menu.devices', permission: 'devices:read' },
      { id: 'flows', path: '/noc/flows', label: 'menu.flows', permission: 'flows:read' },
      { id: 'wall', path: '/wall', label: 'menu.wall', permission: 'alerts:read' },
    ],
  },
  {
    label: 'menu.governance',
    items: [{ id: 'compliance', path: '/compliance', label: 'menu.compliance', permission: COMPLIANCE }],
  },
  {
    label: 'menu.admin',
    items: [
      { id: 'users', path: '/admin/users', label: 'menu.users', permission: 'users:manage' },
      { id: 'agencies', path: '/admin/agencies', label: 'menu.agencies', permission: AGENCIES },
      { id: 'tokens', path: '/admin/tokens', label: 'menu.tokens', permission: 'tokens:own' },
      { id: 'rules', path: '/admin/rules', label: 'menu.rules', permission: 'rules:read' },
      { id: 'agents', path: '/admin/agents', label: 'menu.agents', permission: 'agents:read' },
      { id: 'audit', path: '/admin/audit', label: 'menu.audit', permission: 'audit:read' },
      { id: 'retention', path: '/admin/retention', label: 'menu.retention', permission: 'users:manage' },
    ],
  },
];

interface RouteDef {
  pattern: string;
  menuId: string;
  permission: Needs;
  render(params: Record<string, string>): ReactNode;
}

const ROUTES: RouteDef[] = [
  { pattern: '/alerts', menuId: 'alerts', permission: 'alerts:read', render: () => <AlertQueueView /> },
  { pattern: '/alerts/suppressions', menuId: 'suppressions', permission: 'alerts:read', render: () => <SuppressionsView /> },
  { pattern: '/alerts/:id', menuId: 'alerts', permission: 'alerts:read', render: (p) => <AlertDetailView id={p.id} /> },
  { pattern: '/incidents', menuId: 'incidents', permission: 'incidents:read', render: () => <IncidentListView /> },
  { pattern: '/incidents/:id', menuId: 'incidents', permission: 'incidents:read', render: (p) => <IncidentDetailView id={p.id} /> },
  { pattern: '/events', menuId: 'events', permission: 'events:read', render: () => <EventSearchView /> },
  { pattern: '/attack', menuId: 'attack', permission: 'rules:read', render: () => <AttackMatrixView /> },
  { pattern: '/noc/health', menuId: 'health', permission: 'metrics:read', render: () => <CollectorHealthView /> },
  { pattern: '/noc/devices', menuId: 'devices', permission: 'devices:read', render: () => <DeviceListView /> },
  { pattern: '/noc/devices/:id', menuId: 'devices', permission: 'devices:read', render: (p) => <DevicePageView id={p.id} /> },
  { pattern: '/noc/flows', menuId: 'flows', permission: 'flows:read', render: () => <FlowsView /> },
  { pattern: '/wall', menuId: 'wall', permission: 'alerts:read', render: () => null },
  { pattern: '/admin/users', menuId: 'users', permission: 'users:manage', render: () => <UsersView /> },
  { pattern: '/admin/agencies', menuId: 'agencies', permission: AGENCIES, render: () => <AgenciesView /> },
  { pattern: '/admin/retention', menuId: 'retention', permission: 'users:manage', render: () => <RetentionView /> },
  { pattern: '/admin/tokens', menuId: 'tokens', permission: 'tokens:own', render: () => <TokensView /> },
  { pattern: '/admin/rules', menuId: 'rules', permission: 'rules:read', render: () => <RulesView /> },
  { pattern: '/admin/agents', menuId: 'agents', permission: 'agents:read', render: () => <AgentsView /> },
  { pattern: '/admin/audit', menuId: 'audit', permission: 'audit:read', render: () => <AuditView /> },
  { pattern: '/intel', menuId: 'intel', permission: 'intel:read', render: () => <IntelView /> },
  { pattern: '/playbooks', menuId: 'playbooks', permission: 'playbooks:read', render: () => <PlaybooksView /> },
  { pattern: '/playbooks/runs/:id', menuId: 'playbooks', permission: 'playbooks:read', render: (p) => <PlaybookRunView id={p.id} /> },
  { pattern: '/compliance', menuId: 'compliance', permission: COMPLIANCE, render: () => <ComplianceSystemsView /> },
  { pattern: '/compliance/systems/:id', menuId: 'compliance', permission: COMPLIANCE, render: (p) => <ComplianceSystemView id={p.id} /> },
];

export function visibleMenu(session: Session): MenuGroup[] {
  return MENU.map((g) => ({ ...g, items: g.items.filter((i) => allowed(session, i.permission)) })).filter((g) => g.items.length > 0);
}

export function routeFor(path: string, session: Session): { element: ReactNode; menuId: string; redirect?: string } {
  if (path === '/' || path === '') {
    const first = visibleMenu(session)[0]?.items[0];
    return { element: null, menuId: '', redirect: first?.path ?? '/admin/tokens' };
  }
  for (const route of ROUTES) {
    const params = matchPath(route.pattern, path);
    if (!params) continue;
    if (!allowed(session, route.permission)) return { element: <NotFoundView forbidden />, menuId: route.menuId };
    return { element: <ViewSuspense>{route.render(params)}</ViewSuspense>, menuId: route.menuId };
  }
  return { element: <NotFoundView />, menuId: '' };
}
