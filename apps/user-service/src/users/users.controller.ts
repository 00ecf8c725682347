import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, ParseArrayPipe, Post, Put } from '@nestjs/common';
import { AuthenticatedUser, CreateUserDto, UpdateUserDto, User, UserRolesDto } from '@petstore/dto';
import { Caller } from './caller.decorator';
import { UsersService } from './users.service';

/** The gateway's user operations; the caller arrives in the headers the gateway sets. */
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Post()
  @HttpCode(HttpStatus.OK)
  signUp(@Body() input: CreateUserDto): Promise<User> {
    return this.users.signUp(input);
  }

  @Post('list')
  @HttpCode(HttpStatus.OK)
  createMany(
    @Caller() caller: AuthenticatedUser | undefined,
    @Body(new ParseArrayPipe({ items: CreateUserDto, whitelist: true, forbidUnknownValues: true, stopAtFirstError: false })) inputs: CreateUserDto[],
  ): Promise<User[]> {
    return this.users.createMany(caller, inputs);
  }

  @Get(':username')
  findByName(@Caller() caller: AuthenticatedUser | undefined, @Param('username') username: string): Promise<User> {
    return this.users.findByName(caller, username);
  }

  @Put(':username')
  update(
    @Caller() caller: AuthenticatedUser | undefined,
    @Param('username') username: string,
    @Body() changes: UpdateUserDto,
  ): Promise<User> {
    return this.users.update(caller, username, changes);
  }

  @Delete(':username/sessions')
  @HttpCode(HttpStatus.NO_CONTENT)
  endSessions(@Caller() caller: AuthenticatedUser | undefined, @Param('username') username: string): Promise<void> {
    return this.users.endSessions(caller, username);
  }

  @Delete(':username')
  @HttpCode(HttpStatus.NO_CONTENT)
  remove(@Caller() caller: AuthenticatedUser | undefined, @Param('username') username: string): Promise<void> {
    return this.users.remove(caller, username);
  }

  @Put(':username/roles')
  setRoles(
    @Caller() caller: AuthenticatedUser | undefined,
    @Param('username') username: string,
    @Body() input: UserRolesDto,
  ): Promise<User> {
    return this.users.setRoles(caller, username, input.roles);
  }
}
