import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, ParseArrayPipe, Post, Put, Res } from '@nestjs/common';
import { AuthenticatedUser, CreateUserDto, Role, UpdateUserDto, User, UserIdsQuery, UserRolesDto } from '@petstore/dto';
import {
  CallingUser,
  ForAnyone,
  ForSignedInUser,
  IdempotencyKey,
  IfMatch,
  ServiceOnly,
  VersionPrecondition,
  withEntityTag,
} from '@petstore/platform';
import type { FastifyReply } from 'fastify';
import { ClientAddress } from '../app/client-address';
import { SignUpThrottle } from './sign-up-throttle.service';
import { UsersService } from './users.service';

/** The gateway's user operations, for the user its service token names. */
@ForSignedInUser()
@Controller('users')
export class UsersController {
  constructor(
    private readonly users: UsersService,
    private readonly signUps: SignUpThrottle,
  ) {}

  @ForAnyone()
  @Post()
  @HttpCode(HttpStatus.OK)
  async signUp(@Body() input: CreateUserDto, @IdempotencyKey() idempotencyKey: string | undefined, @ClientAddress() client: string): Promise<User> {
    await this.signUps.registerAttempt(client);
    return this.users.signUp(input, idempotencyKey);
  }

  @ServiceOnly('order-service')
  @Post('existing')
  @HttpCode(HttpStatus.OK)
  existing(@Body() query: UserIdsQuery): Promise<number[]> {
    return this.users.existing(query.userIds);
  }

  @ForSignedInUser(Role.StoreOwner)
  @Post('list')
  @HttpCode(HttpStatus.OK)
  createMany(
    @CallingUser() caller: AuthenticatedUser | undefined,
    @Body(new ParseArrayPipe({ items: CreateUserDto, whitelist: true, forbidUnknownValues: true, stopAtFirstError: false })) inputs: CreateUserDto[],
    @IdempotencyKey() idempotencyKey: string | undefined,
  ): Promise<User[]> {
    return this.users.createMany(caller, inputs, idempotencyKey);
  }

  @Get(':username')
  async findByName(
    @CallingUser() caller: AuthenticatedUser | undefined,
    @Param('username') username: string,
    @Res({ passthrough: true }) response: FastifyReply,
  ): Promise<User> {
    return withEntityTag(response, await this.users.findByName(caller, username));
  }

  @Put(':username')
  async update(
    @CallingUser() caller: AuthenticatedUser | undefined,
    @Param('username') username: string,
    @Body() changes: UpdateUserDto,
    @IfMatch() precondition: VersionPrecondition | undefined,
    @ClientAddress() client: string,
    @Res({ passthrough: true }) response: FastifyReply,
  ): Promise<User> {
    return withEntityTag(response, await this.users.update(caller, username, changes, precondition, client));
  }

  @Delete(':username/sessions')
  @HttpCode(HttpStatus.NO_CONTENT)
  endSessions(@CallingUser() caller: AuthenticatedUser | undefined, @Param('username') username: string): Promise<void> {
    return this.users.endSessions(caller, username);
  }

  @Delete(':username')
  @HttpCode(HttpStatus.NO_CONTENT)
  remove(
    @CallingUser() caller: AuthenticatedUser | undefined,
    @Param('username') username: string,
    @IdempotencyKey() idempotencyKey: string | undefined,
    @IfMatch() precondition: VersionPrecondition | undefined,
  ): Promise<void> {
    return this.users.remove(caller, username, idempotencyKey, precondition);
  }

  @ForSignedInUser(Role.StoreOwner)
  @Put(':username/roles')
  async setRoles(
    @CallingUser() caller: AuthenticatedUser | undefined,
    @Param('username') username: string,
    @Body() input: UserRolesDto,
    @IfMatch() precondition: VersionPrecondition | undefined,
    @Res({ passthrough: true }) response: FastifyReply,
  ): Promise<User> {
    return withEntityTag(response, await this.users.setRoles(caller, username, input.roles, precondition));
  }
}
