import { BadRequestException, Injectable, PipeTransform } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { MAX_ID, PET_STATUSES, PetStatus } from '@petstore/contracts';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsEnum,
  IsInt,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateBy,
  ValidateIf,
  ValidateNested,
} from 'class-validator';

export const MAX_PET_NAME_LENGTH = 200;
export const MAX_LABEL_LENGTH = 100;
export const MAX_PHOTO_URLS = 20;
export const MAX_PHOTO_URL_LENGTH = 2048;
export const MAX_TAGS = 20;

const NOT_BLANK = /\S/;

/** A URL's scheme, if it has one: what comes before the first colon that precedes any `/`, `?` or `#`. */
const URL_SCHEME = /^([^/?#]*):/;
/** Whitespace and control characters, which a browser drops from a URL (`java\tscript:` is `javascript:`). */
const DROPPED_FROM_URLS = /[\s\p{Cc}]/u;

/**
 * A photo URL a page showing the pet can put in `src` or `href` safely: an http or https URL, or
 * a reference without a scheme (the contract's examples send `string`). A `javascript:`, `data:`
 * or `file:` URL would run or read something in that page.
 */
export function isSafePhotoUrl(value: unknown): boolean {
  if (typeof value !== 'string' || DROPPED_FROM_URLS.test(value)) return false;
  const scheme = URL_SCHEME.exec(value)?.[1];
  return scheme === undefined || /^https?$/i.test(scheme);
}

/** Ids of 0 mean "none given", as clients with non-nullable integers (and Swagger UI's examples) send them. */
const ID_ZERO_IS_NONE = 'Absent or 0: none given.';

/** Whether a request names an id: absent, null and 0 do not. */
export function givenId(id: number | null | undefined): id is number {
  return typeof id === 'number' && id !== 0;
}

/** Petstore's Category: give an id to use an existing one, a name to find or create one by name. */
export class Category {
  @ApiPropertyOptional({ type: 'integer', format: 'int64', example: 1, minimum: 0, description: ID_ZERO_IS_NONE })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_ID)
  id?: number;

  @ApiPropertyOptional({ example: 'Dogs', maxLength: MAX_LABEL_LENGTH, description: 'Required unless an id is given.' })
  @ValidateIf((category: Category) => !givenId(category.id) || category.name != null)
  @IsString()
  @Matches(NOT_BLANK, { message: 'name must not be blank' })
  @MaxLength(MAX_LABEL_LENGTH)
  name?: string;
}

/** Petstore's Tag: give an id to use an existing one, a name to find or create one by name. */
export class Tag {
  @ApiPropertyOptional({ type: 'integer', format: 'int64', example: 0, minimum: 0, description: ID_ZERO_IS_NONE })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_ID)
  id?: number;

  @ApiPropertyOptional({ example: 'friendly', maxLength: MAX_LABEL_LENGTH, description: 'Required unless an id is given.' })
  @ValidateIf((tag: Tag) => !givenId(tag.id) || tag.name != null)
  @IsString()
  @Matches(NOT_BLANK, { message: 'name must not be blank' })
  @MaxLength(MAX_LABEL_LENGTH)
  name?: string;
}

/**
 * Petstore's Pet, as addPet and updatePet accept it and every pet operation answers it.
 * In answers `id`, `tags` and `status` are always present and `category` only when the pet has one.
 */
export class Pet {
  @ApiPropertyOptional({
    type: 'integer',
    format: 'int64',
    example: 10,
    minimum: 0,
    maximum: MAX_ID,
    description:
      'addPet: absent or 0 and the server assigns one; a free id is used as given, a taken one is refused with 409. ' +
      'updatePet: required, names the pet to update.',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_ID)
  id?: number;

  @ApiProperty({ example: 'doggie', maxLength: MAX_PET_NAME_LENGTH })
  @IsString()
  @Matches(NOT_BLANK, { message: 'name must not be blank' })
  @MaxLength(MAX_PET_NAME_LENGTH)
  name!: string;

  @ApiPropertyOptional({ type: () => Category })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => Category)
  category?: Category;

  @ApiProperty({
    type: [String],
    example: ['https://images.example.com/doggie.jpg'],
    maxItems: MAX_PHOTO_URLS,
    description:
      'External photo URLs the client gives (http or https, or a path: no other scheme), followed in answers by the ' +
      'URLs of uploaded photos (`/api/v3/pet/{petId}/photos/{photoId}`, served by this gateway).',
  })
  @IsArray()
  @ArrayMaxSize(MAX_PHOTO_URLS)
  @IsString({ each: true })
  @IsNotEmpty({ each: true })
  @MaxLength(MAX_PHOTO_URL_LENGTH, { each: true })
  @ValidateBy(
    { name: 'isSafePhotoUrl', validator: { validate: isSafePhotoUrl } },
    { each: true, message: 'each value in photoUrls must be an http or https URL or a path, without spaces or control characters' },
  )
  photoUrls!: string[];

  @ApiPropertyOptional({ type: () => [Tag], maxItems: MAX_TAGS })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_TAGS)
  @ValidateNested({ each: true })
  @Type(() => Tag)
  tags?: Tag[];

  @ApiPropertyOptional({
    enum: PetStatus,
    example: PetStatus.Available,
    description:
      'pet status in the store. Only the order lifecycle moves a pet into or out of pending and sold: ' +
      'a write that would do so is refused with 409. addPet defaults to available; updatePet keeps the current one.',
  })
  @IsOptional()
  @IsEnum(PetStatus, { message: `status must be one of ${PET_STATUSES.join(', ')}` })
  status?: PetStatus;
}

/** updatePetWithForm: the fields given change, the others stay. */
export class PetForm {
  @ApiPropertyOptional({ description: 'Name of pet that needs to be updated', maxLength: MAX_PET_NAME_LENGTH })
  @IsOptional()
  @IsString()
  @Matches(NOT_BLANK, { message: 'name must not be blank' })
  @MaxLength(MAX_PET_NAME_LENGTH)
  name?: string;

  @ApiPropertyOptional({ enum: PetStatus, description: 'Status of pet that needs to be updated' })
  @IsOptional()
  @IsEnum(PetStatus, { message: `status must be one of ${PET_STATUSES.join(', ')}` })
  status?: PetStatus;
}

/** Petstore's ApiResponse, the answer of uploadFile. */
export class PetstoreApiResponse {
  @ApiProperty({ type: 'integer', format: 'int32', example: 200 })
  code!: number;

  @ApiProperty({ example: 'image/png', description: 'The content type sniffed from the uploaded bytes.' })
  type!: string;

  @ApiProperty({ example: 'stored photo 7 of pet 10 (image/png, 5120 bytes) at /api/v3/pet/10/photos/7' })
  message!: string;
}

/**
 * A query parameter that may be repeated and may hold a comma list (`?status=a,b&status=c`):
 * its values, trimmed, without empty ones, each once, in the order first given.
 */
export function listParameter(raw: string | string[] | undefined): string[] {
  const values = [raw ?? []]
    .flat()
    .flatMap((value) => String(value).split(','))
    .map((value) => value.trim())
    .filter((value) => value.length > 0);
  return [...new Set(values)];
}

/** The statuses of a findPetsByStatus query (available when none is given), or the first bad value. */
export function parseStatusList(raw: string | string[] | undefined): { statuses: PetStatus[] } | { invalid: string } {
  const values = listParameter(raw);
  const invalid = values.find((value) => !(PET_STATUSES as readonly string[]).includes(value));
  if (invalid !== undefined) return { invalid };
  return { statuses: values.length > 0 ? (values as PetStatus[]) : [PetStatus.Available] };
}

/** The tag names of a findPetsByTags query, or the first one that is too long. */
export function parseTagList(raw: string | string[] | undefined): { tags: string[] } | { invalid: string } {
  const tags = listParameter(raw);
  const invalid = tags.find((tag) => tag.length > MAX_LABEL_LENGTH);
  return invalid === undefined ? { tags } : { invalid };
}

/** findPetsByStatus's `status`, in the gateway and in pet-service: the statuses, or 400 naming a bad one. */
@Injectable()
export class PetStatusListPipe implements PipeTransform<string | string[] | undefined, PetStatus[]> {
  transform(raw: string | string[] | undefined): PetStatus[] {
    const parsed = parseStatusList(raw);
    if ('invalid' in parsed) throw new BadRequestException(`status '${parsed.invalid}' is not one of ${PET_STATUSES.join(', ')}`);
    return parsed.statuses;
  }
}

/** findPetsByTags's `tags`, in the gateway and in pet-service: the tag names, or 400 naming a bad one. */
@Injectable()
export class TagListPipe implements PipeTransform<string | string[] | undefined, string[]> {
  transform(raw: string | string[] | undefined): string[] {
    const parsed = parseTagList(raw);
    if ('invalid' in parsed) throw new BadRequestException(`tag '${parsed.invalid}' is longer than a tag can be`);
    return parsed.tags;
  }
}

/** One pet as pet-service holds it now, for a read model to check itself against: live, or deleted at a version (status null). */
export interface PetVersion {
  id: number;
  status: PetStatus | null;
  version: number;
  deleted: boolean;
}
