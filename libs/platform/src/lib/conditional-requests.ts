import { BadRequestException, createParamDecorator, ExecutionContext, PreconditionFailedException } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** The version of a resource an answer shows, as an entity tag (RFC 9110 §8.8.3). */
export const ETAG_HEADER = 'etag';

/** The versions a write may change (RFC 9110 §13.1.1): any other is refused with 412, so no one's change is overwritten unseen. */
export const IF_MATCH_HEADER = 'if-match';

/** The entity tags of the copies a client holds (RFC 9110 §13.1.2): a read that would answer one of them is 304 instead. */
export const IF_NONE_MATCH_HEADER = 'if-none-match';

/** Whether an If-None-Match header names this entity tag, or is `*` (weak comparison, as RFC 9110 asks for a GET). */
export function ifNoneMatchHits(header: string | string[] | undefined, entityTag: string): boolean {
  if (typeof header !== 'string' || header === '') return false;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  return header.split(',').some((tag) => tag.trim() === '*' || opaque(tag) === opaque(entityTag));
}

/** A version's strong entity tag: its number, quoted. */
export function entityTagOf(version: number): string {
  return `"${version}"`;
}

/** A resource as an answer shows it, and the version it is at (its ETag). */
export interface Versioned<T> {
  resource: T;
  version: number;
}

/** Answers the resource with its version as the ETag: a client sends that back as If-Match to change only what it has seen. */
export function withEntityTag<T>(response: FastifyReply, { resource, version }: Versioned<T>): T {
  response.header(ETAG_HEADER, entityTagOf(version));
  return resource;
}

const ENTITY_TAG = String.raw`(?:W\/)?"[\x21\x23-\x7e\x80-\xff]*"`;
const ENTITY_TAG_LIST = new RegExp(String.raw`^\s*${ENTITY_TAG}(?:\s*,\s*${ENTITY_TAG})*\s*$`);
const VERSION_TAG = /^"(\d{1,15})"$/;

/**
 * A request's If-Match: `*` (the resource exists, whatever its version) or the entity tags it was
 * read at. Comparison is strong, as RFC 9110 requires for If-Match: a weak tag, or one this
 * store never gave, matches no version.
 */
export class VersionPrecondition {
  private constructor(
    /** The header as the client sent it, for the service that owns the resource. */
    readonly header: string,
    private readonly versions: ReadonlySet<number> | 'any',
  ) {}

  /** undefined without the header; 400 naming it when it is neither `*` nor a list of entity tags. */
  static parse(value: string | string[] | undefined): VersionPrecondition | undefined {
    if (value === undefined) return undefined;
    const header = typeof value === 'string' ? value.trim() : '';
    if (header === '*') return new VersionPrecondition(header, 'any');
    if (!ENTITY_TAG_LIST.test(header)) {
      throw new BadRequestException('If-Match must be * or a list of entity tags as ETag gives them, such as "3"');
    }
    const versions = new Set<number>();
    for (const tag of header.split(/\s*,\s*/)) {
      const version = VERSION_TAG.exec(tag);
      if (version) versions.add(Number(version[1]));
    }
    return new VersionPrecondition(header, versions);
  }

  allows(version: number): boolean {
    return this.versions === 'any' || this.versions.has(version);
  }

  /** 412 naming the current tag when the resource (`pet 7`, `user alice`) is at another version: the client would overwrite a change it has not seen. */
  assertAllows(version: number, resource: string): void {
    if (!this.allows(version)) {
      throw new PreconditionFailedException(
        `${resource} changed since it was read: it is at ${entityTagOf(version)}, not ${this.header}; read it again and send the change with its ETag`,
      );
    }
  }
}

/** The request's If-Match (see VersionPrecondition.parse); undefined when it sent none. */
export const IfMatch = createParamDecorator((_data: unknown, context: ExecutionContext): VersionPrecondition | undefined =>
  VersionPrecondition.parse(context.switchToHttp().getRequest<FastifyRequest>().headers[IF_MATCH_HEADER]),
);
