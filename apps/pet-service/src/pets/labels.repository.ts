import { ConflictException, Injectable, UnprocessableEntityException } from '@nestjs/common';
import { givenId } from '@petstore/dto';
import { EntityManager } from 'typeorm';
import { nextGeneratedId, skipTakenIds } from './id-sequence';

/** Categories and tags: named labels, each name once, with server-assigned ids a client may also choose. */
export type LabelKind = 'category' | 'tag';

export interface LabelReference {
  id?: number | null;
  name?: string | null;
}

export interface Label {
  id: number;
  name: string;
}

/** Bounded retries for races: the same new name inserted concurrently, or a generated id a client chose. */
const MAX_ATTEMPTS = 5;

@Injectable()
export class LabelsRepository {
  /**
   * A reference by id must match the existing label (or, naming a free id, creates it); a
   * reference by name finds the label or creates it. A label is never renamed by a pet write.
   */
  async resolve(manager: EntityManager, kind: LabelKind, reference: LabelReference): Promise<Label> {
    const name = reference.name ?? undefined;
    if (givenId(reference.id)) return this.resolveById(manager, kind, reference.id, name);
    return this.resolveByName(manager, kind, name as string);
  }

  /** Resolves each reference; the same label listed twice is kept once, in first position. */
  async resolveAll(manager: EntityManager, kind: LabelKind, references: LabelReference[]): Promise<Label[]> {
    const labels: Label[] = [];
    for (const reference of references) {
      const label = await this.resolve(manager, kind, reference);
      if (!labels.some((known) => known.id === label.id)) labels.push(label);
    }
    return labels;
  }

  private async resolveById(manager: EntityManager, kind: LabelKind, id: number, name: string | undefined): Promise<Label> {
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const existing = await this.findBy(manager, kind, 'id', id);
      if (existing) {
        if (name !== undefined && name !== existing.name) {
          throw new ConflictException(`${kind} ${id} is named '${existing.name}', not '${name}'`);
        }
        return existing;
      }
      if (name === undefined) {
        throw new UnprocessableEntityException(`${kind} ${id} does not exist; give its name to create it`);
      }
      const inserted = await this.insert(manager, kind, id, name);
      if (inserted) return inserted;
      const sameName = await this.findBy(manager, kind, 'name', name);
      if (sameName && sameName.id !== id) {
        throw new ConflictException(`${kind} '${name}' already exists with id ${sameName.id}, not ${id}`);
      }
    }
    throw new ConflictException(`${kind} ${id} is being changed concurrently; try again`);
  }

  private async resolveByName(manager: EntityManager, kind: LabelKind, name: string): Promise<Label> {
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const existing = await this.findBy(manager, kind, 'name', name);
      if (existing) return existing;
      const id = await nextGeneratedId(manager, kind);
      const inserted = await this.insert(manager, kind, id, name);
      if (inserted) return inserted;
      if (!(await this.findBy(manager, kind, 'name', name))) await skipTakenIds(manager, kind, id);
    }
    throw new ConflictException(`${kind} '${name}' is being created concurrently; try again`);
  }

  private async findBy(manager: EntityManager, kind: LabelKind, column: 'id' | 'name', value: number | string): Promise<Label | undefined> {
    const rows: { id: string; name: string }[] = await manager.query(`SELECT id, name FROM ${kind} WHERE ${column} = $1`, [value]);
    return rows.length > 0 ? { id: Number(rows[0].id), name: rows[0].name } : undefined;
  }

  /** Undefined when the id or the name is taken (by a concurrent writer or an earlier one). */
  private async insert(manager: EntityManager, kind: LabelKind, id: number, name: string): Promise<Label | undefined> {
    const rows: { id: string; name: string }[] = await manager.query(
      `INSERT INTO ${kind} (id, name) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING id, name`,
      [id, name],
    );
    return rows.length > 0 ? { id: Number(rows[0].id), name: rows[0].name } : undefined;
  }
}
