import { Body, Controller, Delete, Get, Headers, HttpCode, HttpStatus, Param, ParseArrayPipe, Post, Put, Query, Req, Res } from '@nestjs/common';
import { ApiBody, ApiExtension, ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiTags } from '@nestjs/swagger';
import {
  AuthenticatedUser,
  CLIENT_ADDRESS_HEADER,
  CreateUserDto,
  LoginDto,
  MAX_USERS_PER_LIST,
  Role,
  TokenReference,
  UpdateUserDto,
  User,
  UserRolesDto,
} from '@petstore/dto';
import {
  FORM_MEDIA_TYPE,
  IDEMPOTENCY_KEY_HEADER,
  IdempotencyKey,
  IF_MATCH_HEADER,
  IF_NONE_MATCH_HEADER,
  IfMatch,
  InjectServiceClient,
  JSON_MEDIA_TYPE,
  ServiceClient,
  VersionPrecondition,
} from '@petstore/platform';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { clientOf } from '../app/request-limit';
import { CurrentUser } from '../auth/current-user.decorator';
import { Roles } from '../auth/roles.decorator';
import { VerifiedToken } from '../auth/verified-token.decorator';
import {
  ApiErrors,
  ApiIdempotencyKey,
  ApiLoggedIn,
  ApiPublic,
  ApiStoreOwnerOnly,
  IDEMPOTENCY_KEY_IN_USE,
  IDEMPOTENCY_KEY_REUSED,
} from '../api-responses';
import { ConsumesBody } from '../consumes-body';
import { ApiIfMatch, ApiIfNoneMatch, changedSinceRead, entityTagHeader, forwardEntityTag, sendRead } from '../entity-tags';
import { SessionsClient } from './sessions.client';
import { UsernamePipe } from './username.pipe';
import { AnswersNothing, NegotiatesAnswers } from '../answer-media-types';

const LIST_TIMEOUT_MS = 30000;

const LOGIN_RESPONSE = {
  description: 'The access token (a JWT) as a JSON string; send it as `Authorization: Bearer <token>`.',
  schema: { type: 'string', example: 'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9…' },
  headers: {
    'X-Rate-Limit': {
      description: 'Login attempts allowed per username and client within the rate-limit window before 429.',
      schema: { type: 'integer', format: 'int32' },
    },
    'X-Expires-After': { description: 'When the token expires (UTC, RFC 3339).', schema: { type: 'string', format: 'date-time' } },
  },
};
const LOGIN_ERRORS = {
  400: 'Invalid username/password supplied.',
  429: {
    description:
      'Too many login attempts for this username from this client, for this username from any client, or from this ' +
      'client for any username, or too many requests of any kind from this client; see Retry-After (seconds).',
    headers: { 'Retry-After': { schema: { type: 'integer' } } },
  },
  503: {
    description: 'user-service is unreachable, or password hashing is at capacity; see Retry-After (seconds).',
    headers: { 'Retry-After': { schema: { type: 'integer' } } },
  },
};
const NOT_SELF = 'The caller is neither this user nor a store owner.';
const USER_NOT_FOUND = 'User not found.';
const USER_ENTITY_TAG = entityTagHeader('user');
const USER_CHANGED_SINCE_READ = changedSinceRead('user');
const MALFORMED_IF_MATCH = 'a malformed If-Match';
/** Clients generated from this document then call the user body `user`, as with the Petstore's own document. */
const ApiBodyNamedUser = () => ApiExtension('x-codegen-request-body-name', 'user');
const USERNAME = {
  name: 'username',
  description: 'The username (letters, digits, . _ @ -; any case; compatibility forms such as fullwidth letters read as the plain ones).',
};

@ApiTags('user')
@ApiErrors({ 503: 'user-service is unreachable.' })
@NegotiatesAnswers()
@Controller('user')
export class UsersController {
  constructor(
    @InjectServiceClient('user-service') private readonly users: ServiceClient,
    private readonly sessions: SessionsClient,
  ) {}

  @ApiPublic()
  @Post()
  @HttpCode(HttpStatus.OK)
  @ApiBodyNamedUser()
  @ApiOperation({
    operationId: 'createUser',
    summary: 'Sign up: create a customer.',
    description:
      'Anyone may sign up; the new user is always a customer. Sent again with the same `Idempotency-Key` and password, ' +
      'it answers the user the first request created instead of 409 for the username it took. Sign-ups share one scope ' +
      'of keys, so send a key nobody else would pick (a UUID).',
  })
  @ApiIdempotencyKey()
  @ConsumesBody(JSON_MEDIA_TYPE, FORM_MEDIA_TYPE)
  @ApiOkResponse({ type: User })
  @ApiErrors({
    400: 'A field is missing or invalid (e.g. the email), or a malformed Idempotency-Key.',
    409: `The username is taken. ${IDEMPOTENCY_KEY_IN_USE}`,
    422: IDEMPOTENCY_KEY_REUSED,
    429: {
      description:
        'Too many sign-ups from this client within the window (20 an hour by default), or too many requests of any kind from this client; see Retry-After (seconds).',
      headers: { 'Retry-After': { schema: { type: 'integer' } } },
    },
  })
  createUser(@Body() input: CreateUserDto, @IdempotencyKey() idempotencyKey: string | undefined, @Req() request: FastifyRequest): Promise<User> {
    return this.users.json<User>({
      method: 'POST',
      path: '/users',
      json: input,
      headers: { [IDEMPOTENCY_KEY_HEADER]: idempotencyKey, [CLIENT_ADDRESS_HEADER]: clientOf(request) },
    });
  }

  @Post('createWithList')
  @HttpCode(HttpStatus.OK)
  @Roles(Role.StoreOwner)
  @ApiBodyNamedUser()
  @ConsumesBody(JSON_MEDIA_TYPE)
  @ApiOperation({
    operationId: 'createUsersWithListInput',
    summary: 'Creates list of users with given input array.',
    description:
      `Store owner only. All or none: one invalid or taken username and no user is created. At most ${MAX_USERS_PER_LIST} users; ` +
      'each is a customer. Answers with the users created (the contract declares a single User). Sent again with the same ' +
      '`Idempotency-Key` and passwords, it answers the users the first request created.',
  })
  @ApiIdempotencyKey()
  @ApiBody({ type: CreateUserDto, isArray: true })
  @ApiOkResponse({ type: User, isArray: true })
  @ApiStoreOwnerOnly()
  @ApiErrors({
    400: 'The list is empty, too long, or holds an invalid user, or a malformed Idempotency-Key.',
    409: `A username is taken or repeated in the list. ${IDEMPOTENCY_KEY_IN_USE}`,
    422: IDEMPOTENCY_KEY_REUSED,
  })
  createUsersWithListInput(
    @CurrentUser() caller: AuthenticatedUser,
    @Body(new ParseArrayPipe({ items: CreateUserDto, whitelist: true, forbidUnknownValues: true, stopAtFirstError: false })) inputs: CreateUserDto[],
    @IdempotencyKey() idempotencyKey: string | undefined,
  ): Promise<User[]> {
    return this.users.json<User[]>({
      method: 'POST',
      path: '/users/list',
      json: inputs,
      headers: { [IDEMPOTENCY_KEY_HEADER]: idempotencyKey },
      onBehalfOf: caller,
      timeoutMs: LIST_TIMEOUT_MS,
    });
  }

  @ApiPublic()
  @Get('login')
  @ApiOperation({
    operationId: 'loginUser',
    summary: 'Logs user into the system.',
    description: 'Prefer `POST /user/login`: query strings end up in browser histories and proxy logs.',
  })
  @ApiProduces('application/json')
  @ApiOkResponse(LOGIN_RESPONSE)
  @ApiErrors(LOGIN_ERRORS)
  loginUser(@Query() credentials: LoginDto, @Req() request: FastifyRequest, @Res({ passthrough: true }) response: FastifyReply): Promise<string> {
    return this.sessions.login(credentials, request, response);
  }

  @ApiPublic()
  @Post('login')
  @HttpCode(HttpStatus.OK)
  @ConsumesBody(JSON_MEDIA_TYPE)
  @ApiOperation({
    operationId: 'loginUserWithBody',
    summary: 'Extension: logs user into the system with the credentials in a JSON body.',
  })
  @ApiProduces('application/json')
  @ApiOkResponse(LOGIN_RESPONSE)
  @ApiErrors(LOGIN_ERRORS)
  loginUserWithBody(
    @Body() credentials: LoginDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) response: FastifyReply,
  ): Promise<string> {
    return this.sessions.login(credentials, request, response);
  }

  @Get('logout')
  @ApiOperation({
    operationId: 'logoutUser',
    summary: 'Logs out current logged in user session.',
    description: 'Revokes the presented token: using it afterwards gets 401.',
  })
  @ApiOkResponse({ description: 'The token is revoked.' })
  @AnswersNothing()
  @ApiLoggedIn()
  logoutUser(@VerifiedToken() token: TokenReference): Promise<void> {
    return this.sessions.logout(token);
  }

  @Post('logoutEverywhere')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    operationId: 'logoutUserEverywhere',
    summary: 'Extension: log out every session of the current user.',
    description: 'Every token issued to the caller so far, this one included, gets 401 afterwards; log in again for a new one.',
  })
  @ApiOkResponse({ description: 'Every earlier token of the caller is revoked.' })
  @AnswersNothing()
  @ApiLoggedIn()
  async logoutUserEverywhere(@CurrentUser() caller: AuthenticatedUser): Promise<void> {
    await this.users.json({ method: 'DELETE', path: `/users/${encodeURIComponent(caller.username)}/sessions`, onBehalfOf: caller });
  }

  @Get(':username')
  @ApiOperation({ operationId: 'getUserByName', summary: 'Get user by user name.', description: 'For that user or a store owner.' })
  @ApiParam(USERNAME)
  @ApiOkResponse({ type: User, headers: USER_ENTITY_TAG })
  @ApiIfNoneMatch('user')
  @ApiLoggedIn()
  @ApiErrors({ 400: 'Invalid username supplied.', 403: NOT_SELF, 404: USER_NOT_FOUND })
  async getUserByName(
    @CurrentUser() caller: AuthenticatedUser,
    @Param('username', UsernamePipe) username: string,
    @Headers(IF_NONE_MATCH_HEADER) ifNoneMatch: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    sendRead(reply, ifNoneMatch, await this.users.call<User>({ path: `/users/${encodeURIComponent(username)}`, onBehalfOf: caller }));
  }

  @Put(':username')
  @ApiBodyNamedUser()
  @ApiOperation({
    operationId: 'updateUser',
    summary: 'Update user resource.',
    description:
      'For that user or a store owner. The fields present change, absent ones stay. A new `username` or `password` ends ' +
      'every token issued before (log in again); a new password also forgets the addresses the user logged in from, but ' +
      'the one changing their own, so the login limit over every address holds them again. Changing your own password ' +
      "takes `currentPassword`; a store owner resets another user's without it. Answers with the updated user. With " +
      '`If-Match`, only if the user has not changed since it was read.',
  })
  @ApiParam(USERNAME)
  @ApiIfMatch('user')
  @ConsumesBody(JSON_MEDIA_TYPE, FORM_MEDIA_TYPE)
  @ApiOkResponse({ type: User, headers: USER_ENTITY_TAG })
  @ApiLoggedIn()
  @ApiErrors({
    400: `Invalid username or field, a change of your own password without currentPassword, or ${MALFORMED_IF_MATCH}.`,
    403: 'The caller is neither this user nor a store owner, or currentPassword is wrong.',
    404: USER_NOT_FOUND,
    409: 'The new username is taken.',
    412: USER_CHANGED_SINCE_READ,
  })
  async updateUser(
    @CurrentUser() caller: AuthenticatedUser,
    @Param('username', UsernamePipe) username: string,
    @Body() changes: UpdateUserDto,
    @IfMatch() precondition: VersionPrecondition | undefined,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) response: FastifyReply,
  ): Promise<User> {
    const answer = await this.users.call<User>({
      method: 'PUT',
      path: `/users/${encodeURIComponent(username)}`,
      json: changes,
      headers: { [IF_MATCH_HEADER]: precondition?.header, [CLIENT_ADDRESS_HEADER]: clientOf(request) },
      onBehalfOf: caller,
    });
    return forwardEntityTag(response, answer);
  }

  @Delete(':username')
  @ApiOperation({
    operationId: 'deleteUser',
    summary: 'Delete user resource.',
    description:
      "For that user or a store owner; the user's tokens stop working. The last store owner cannot be deleted. Sent again " +
      'by a store owner with the same `Idempotency-Key`, it answers 200 as the first did, where without one it would be 404. ' +
      'With `If-Match`, only if the user has not changed since it was read.',
  })
  @ApiIdempotencyKey()
  @ApiIfMatch('user')
  @ApiParam(USERNAME)
  @ApiOkResponse({ description: 'User deleted.' })
  @AnswersNothing()
  @ApiLoggedIn()
  @ApiErrors({
    400: `Invalid username supplied, a malformed Idempotency-Key, or ${MALFORMED_IF_MATCH}.`,
    403: NOT_SELF,
    404: USER_NOT_FOUND,
    409: `The user is the last store owner. ${IDEMPOTENCY_KEY_IN_USE}`,
    412: USER_CHANGED_SINCE_READ,
    422: IDEMPOTENCY_KEY_REUSED,
  })
  async deleteUser(
    @CurrentUser() caller: AuthenticatedUser,
    @Param('username', UsernamePipe) username: string,
    @IdempotencyKey() idempotencyKey: string | undefined,
    @IfMatch() precondition: VersionPrecondition | undefined,
  ): Promise<void> {
    await this.users.json({
      method: 'DELETE',
      path: `/users/${encodeURIComponent(username)}`,
      headers: { [IDEMPOTENCY_KEY_HEADER]: idempotencyKey, [IF_MATCH_HEADER]: precondition?.header },
      onBehalfOf: caller,
    });
  }

  @Put(':username/roles')
  @Roles(Role.StoreOwner)
  @ConsumesBody(JSON_MEDIA_TYPE)
  @ApiOperation({
    operationId: 'setUserRoles',
    summary: "Extension: set a user's roles.",
    description:
      "Store owner only. The user's existing tokens stop working; the last store owner cannot be demoted. With `If-Match`, " +
      'only if the user has not changed since it was read.',
  })
  @ApiParam(USERNAME)
  @ApiIfMatch('user')
  @ApiOkResponse({ type: User, headers: USER_ENTITY_TAG })
  @ApiStoreOwnerOnly()
  @ApiErrors({
    400: `Invalid username or roles, or ${MALFORMED_IF_MATCH}.`,
    404: USER_NOT_FOUND,
    409: 'The user is the last store owner.',
    412: USER_CHANGED_SINCE_READ,
  })
  async setUserRoles(
    @CurrentUser() caller: AuthenticatedUser,
    @Param('username', UsernamePipe) username: string,
    @Body() input: UserRolesDto,
    @IfMatch() precondition: VersionPrecondition | undefined,
    @Res({ passthrough: true }) response: FastifyReply,
  ): Promise<User> {
    const answer = await this.users.call<User>({
      method: 'PUT',
      path: `/users/${encodeURIComponent(username)}/roles`,
      json: input,
      headers: { [IF_MATCH_HEADER]: precondition?.header },
      onBehalfOf: caller,
    });
    return forwardEntityTag(response, answer);
  }
}
