/**
 * Finding the template to launch: by numeric id, or by name (optionally within an organization).
 * Names are unique per organization only, so a name matching several templates is an error that
 * lists them; a name matching none lists the closest names.
 */
import { HttpError, inputError, type ConfigurationError, type HttpClient } from '@conveyor/core';
import type { Page } from './api';
import { closestNames } from './names';
import type { TemplateKind } from './prompts';

export interface TemplateRef {
  kind: TemplateKind;
  /** A numeric id or a name. */
  nameOrId: string;
  organization?: string;
}

/** An AWX object with a name that belongs to an organization. */
interface Owned {
  id: number;
  name: string;
  summary_fields?: { organization?: { id: number; name: string } };
}

export interface Template extends Owned {
  type: string;
  url: string;
  related: { launch: string; survey_spec?: string; jobs?: string; workflow_jobs?: string };
}

export function collectionOf(kind: TemplateKind): string {
  return kind === 'job' ? 'job_templates/' : 'workflow_job_templates/';
}

function label(kind: TemplateKind): string {
  return kind === 'job' ? 'job template' : 'workflow job template';
}

function input(kind: TemplateKind): string {
  return kind === 'job' ? 'job-template' : 'workflow-template';
}

function organizationName(owned: Owned): string {
  return owned.summary_fields?.organization?.name ?? 'no organization';
}

/** The template `ref` names. */
export async function findTemplate(http: HttpClient, ref: TemplateRef): Promise<Template> {
  if (/^\d+$/.test(ref.nameOrId)) return byId(http, ref);
  const query = { name: ref.nameOrId, organization__name: ref.organization, page_size: 50 };
  const { data } = await http.get<Page<Template>>(collectionOf(ref.kind), { query });
  if (data.count === 1 && data.results[0]) return data.results[0];
  if (data.count > 1) {
    const listed = data.results.map((t) => `'${t.name}' (id ${t.id}, organization '${organizationName(t)}')`).join('; ');
    throw inputError(
      input(ref.kind),
      `${data.count} ${label(ref.kind)}s are named '${ref.nameOrId}': ${listed}`,
      "Set 'organization', or give the id",
    );
  }
  throw await notFound(http, ref);
}

async function byId(http: HttpClient, ref: TemplateRef): Promise<Template> {
  let template: Template;
  try {
    template = (await http.get<Template>(`${collectionOf(ref.kind)}${ref.nameOrId}/`)).data;
  } catch (error) {
    if (error instanceof HttpError && error.status === 404) {
      throw inputError(input(ref.kind), `no ${label(ref.kind)} has id ${ref.nameOrId} (or this user cannot see it)`);
    }
    throw error;
  }
  if (ref.organization && organizationName(template) !== ref.organization) {
    throw inputError(
      'organization',
      `${label(ref.kind)} ${template.id} ('${template.name}') belongs to '${organizationName(template)}', not '${ref.organization}'`,
    );
  }
  return template;
}

/** The error for a name that matched nothing: where it does exist, or the closest names. */
async function notFound(http: HttpClient, ref: TemplateRef): Promise<ConfigurationError> {
  const problem = `no ${label(ref.kind)} named '${ref.nameOrId}'${ref.organization ? ` in organization '${ref.organization}'` : ''}`;
  const { data } = await http.get<Page<Template>>(collectionOf(ref.kind), { query: { page_size: 200, order_by: 'name' } });
  const elsewhere = data.results.filter((t) => t.name === ref.nameOrId);
  if (elsewhere.length > 0) {
    const where = elsewhere.map((t) => `'${organizationName(t)}' (id ${t.id})`).join(', ');
    return inputError(input(ref.kind), `${problem}; it exists in ${where}`, "Fix 'organization'");
  }
  const close = closestNames(
    ref.nameOrId,
    data.results.map((t) => t.name),
  );
  const hint = close.length > 0 ? `Closest names: ${close.map((name) => `'${name}'`).join(', ')}` : undefined;
  return inputError(input(ref.kind), `${problem} visible to this user`, hint);
}

/** An inventory's id from its id or name (`organization` settles a name used in several). */
export async function findInventory(http: HttpClient, nameOrId: string, organization?: string): Promise<number> {
  if (/^\d+$/.test(nameOrId)) return Number(nameOrId);
  const { data } = await http.get<Page<Owned>>('inventories/', { query: { name: nameOrId, page_size: 50 } });
  const matches = data.results.filter((inventory) => data.count === 1 || !organization || organizationName(inventory) === organization);
  if (matches.length === 1 && matches[0]) return matches[0].id;
  if (matches.length === 0) throw inputError('inventory', `no inventory named '${nameOrId}' is visible to this user`);
  const listed = matches.map((inventory) => `id ${inventory.id} in '${organizationName(inventory)}'`).join(', ');
  throw inputError('inventory', `several inventories are named '${nameOrId}' (${listed})`, 'Give the id');
}
