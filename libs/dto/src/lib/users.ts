import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  Allow,
  ArrayMaxSize,
  ArrayNotEmpty,
  ArrayUnique,
  IsArray,
  IsEmail,
  IsEnum,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  MinLength,
  NotEquals,
  ValidateBy,
} from 'class-validator';
import { MAX_ID } from '@petstore/contracts';
import { Role } from './auth';
import { FromDecimalText } from './decimal-text';
import { MAX_VERSIONS_PAGE } from './paging';

export const USERNAME_PATTERN = /^[A-Za-z0-9._@-]{1,64}$/;
export const USERNAME_RULE = 'username must be 1 to 64 letters, digits, or . _ @ -';
/** Control and format characters (zero-width joiners, direction marks): invisible in a name, so never part of one. */
const INVISIBLE_CHARACTER = /\p{C}/u;

/**
 * A username as it is stored and compared: NFKC, so compatibility forms fold into the plain
 * letters they look like (fullwidth `ａｌｉｃｅ`, the ligature `ﬁ`, superscript digits) and name
 * the same user. What is left must be ASCII: a letter of any other script (Cyrillic `а`, Greek
 * `ο`) is refused, so no name can be registered that looks like another (see docs/decisions.md).
 */
export function normalizedUsername(value: unknown): unknown {
  return typeof value === 'string' ? value.normalize('NFKC') : value;
}

/** Why a (normalized) username cannot be one, in words for a 400; undefined when it can. */
export function usernameProblem(name: unknown): string | undefined {
  if (typeof name !== 'string') return 'username must be a string';
  if (INVISIBLE_CHARACTER.test(name)) return 'username must not contain control or invisible characters';
  if (!USERNAME_PATTERN.test(name)) return USERNAME_RULE;
  return undefined;
}

/** A username field: normalized, then checked by usernameProblem. */
const IsUsername = () =>
  applyDecorators(
    Transform(({ value }) => normalizedUsername(value)),
    ValidateBy({
      name: 'isUsername',
      validator: {
        validate: (value) => usernameProblem(value) === undefined,
        defaultMessage: (args) => usernameProblem(args?.value) ?? USERNAME_RULE,
      },
    }),
  );
export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;
/** The most users one createUsersWithListInput call may create. */
export const MAX_USERS_PER_LIST = 100;

const INT32_MAX = 2147483647;

/**
 * A user as every response shows it: never with a password. The Petstore contract types the
 * fields as plain strings and an integer, so a field the user has not set is absent, never null,
 * and userStatus is 0 until set.
 */
export class User {
  @ApiProperty({ type: 'integer', format: 'int64', example: 10 })
  id!: number;

  @ApiProperty({ example: 'theUser' })
  username!: string;

  @ApiPropertyOptional({ example: 'John' })
  firstName?: string;

  @ApiPropertyOptional({ example: 'James' })
  lastName?: string;

  @ApiPropertyOptional({ example: 'john@email.com' })
  email?: string;

  @ApiPropertyOptional({ example: '12345' })
  phone?: string;

  @ApiProperty({ type: 'integer', format: 'int32', example: 1, default: 0, description: 'User Status; 0 until set.' })
  userStatus!: number;

  @ApiProperty({ enum: Role, isArray: true, description: 'Extension: the roles the user holds.', readOnly: true })
  roles!: Role[];
}

/** The Petstore User accepted by createUser and createUsersWithListInput; the role is always customer. */
export class CreateUserDto {
  @ApiPropertyOptional({ type: 'integer', format: 'int64', example: 10, description: 'Ignored: the server assigns ids.' })
  @Allow()
  id?: unknown;

  @ApiProperty({ example: 'theUser', pattern: USERNAME_PATTERN.source })
  @IsUsername()
  @NotEquals('login', { message: 'username "login" is reserved' })
  @NotEquals('logout', { message: 'username "logout" is reserved' })
  username!: string;

  @ApiPropertyOptional({ type: String, example: 'John' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  firstName?: string | null;

  @ApiPropertyOptional({ type: String, example: 'James' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  lastName?: string | null;

  @ApiPropertyOptional({ type: String, example: 'john@email.com', format: 'email' })
  @IsOptional()
  @IsEmail({}, { message: 'email must be a valid email address' })
  @MaxLength(254)
  email?: string | null;

  @ApiProperty({
    example: 'correct horse battery',
    format: 'password',
    minLength: PASSWORD_MIN_LENGTH,
    maxLength: PASSWORD_MAX_LENGTH,
    writeOnly: true,
  })
  @IsString()
  @MinLength(PASSWORD_MIN_LENGTH)
  @MaxLength(PASSWORD_MAX_LENGTH)
  password!: string;

  @ApiPropertyOptional({ type: String, example: '12345' })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  phone?: string | null;

  @ApiPropertyOptional({ type: 'integer', format: 'int32', example: 1 })
  @IsOptional()
  @FromDecimalText()
  @IsInt()
  @Min(-INT32_MAX - 1)
  @Max(INT32_MAX)
  userStatus?: number | null;
}

/**
 * updateUser: the fields present change (a new username renames the user), absent ones stay.
 * A null is validated like any value, so `"username": null` is a 400, not a user without a name;
 * the optional profile fields accept null to clear them.
 */
export class UpdateUserDto extends PartialType(CreateUserDto, { skipNullProperties: false }) {
  @ApiPropertyOptional({
    description: "Extension: your current password, required to change your own `password`; a store owner resets another user's without it.",
    format: 'password',
    writeOnly: true,
  })
  @IsOptional()
  @IsString()
  @MaxLength(PASSWORD_MAX_LENGTH)
  currentPassword?: string;
}

/** Extension: the JSON body of `POST /user/login`. */
export class LoginDto {
  @ApiProperty({ example: 'theUser' })
  @Transform(({ value }) => normalizedUsername(value))
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  username!: string;

  @ApiProperty({ example: 'correct horse battery', format: 'password' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(PASSWORD_MAX_LENGTH)
  password!: string;
}

/** Extension: the roles a store owner grants a user. */
export class UserRolesDto {
  @ApiProperty({ enum: Role, isArray: true, example: [Role.Customer, Role.StoreOwner] })
  @IsArray()
  @ArrayNotEmpty()
  @ArrayUnique()
  @IsEnum(Role, { each: true })
  roles!: Role[];
}

/** Internal: user ids to look up, a page at a time; user-service answers those that still exist. */
export class UserIdsQuery {
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(MAX_VERSIONS_PAGE)
  @IsInt({ each: true })
  @Min(1, { each: true })
  @Max(MAX_ID, { each: true })
  userIds!: number[];
}
