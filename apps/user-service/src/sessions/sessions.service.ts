import { BadRequestException, Injectable } from '@nestjs/common';
import { IssuedToken, LoginDto } from '@petstore/dto';
import { TokenIssuer } from '../tokens/token-issuer.service';
import { PasswordHasher } from '../users/password-hasher.service';
import { UsersService } from '../users/users.service';
import { LoginThrottle } from './login-throttle.service';
import { TooManyLoginAttemptsException } from './too-many-login-attempts.exception';

@Injectable()
export class SessionsService {
  constructor(
    private readonly users: UsersService,
    private readonly hasher: PasswordHasher,
    private readonly throttle: LoginThrottle,
    private readonly issuer: TokenIssuer,
  ) {}

  /** A wrong password and an unknown username get the same 400, as the Petstore contract says. */
  async login(credentials: LoginDto, client: string): Promise<IssuedToken> {
    this.hasher.refuseWhenFull();
    const gate = await this.throttle.registerAttempt(credentials.username, client);
    if (!gate.allowed) throw new TooManyLoginAttemptsException(gate.limited, gate.retryAfterSeconds);
    const user = await this.users.findForLogin(credentials.username);
    if (!(await this.hasher.verify(user?.passwordHash, credentials.password)) || !user) {
      throw new BadRequestException('invalid username or password');
    }
    await this.throttle.succeeded(user.id, credentials.username, client);
    const { token, expiresAt } = await this.issuer.issue(user);
    return { token, expiresAt: expiresAt.toISOString(), rateLimit: this.throttle.maxAttempts };
  }
}
