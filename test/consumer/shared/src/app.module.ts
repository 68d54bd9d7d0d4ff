import { Controller, Get, Module, UseGuards, type DynamicModule } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { CurrentUser, HankoAuthModule, Public, type HankoAuthOptions, type HankoUser } from 'nestjs-hanko-auth';

@Controller()
export class AppController {
  @Public()
  @Get()
  root(@CurrentUser() user: HankoUser | undefined): { public: true; user: string | null } {
    return { public: true, user: user?.id ?? null };
  }

  @Get('me')
  me(@CurrentUser() user: HankoUser): HankoUser {
    return user;
  }

  /** Passport's door, as a Nest team writes it: @Public() for HankoGuard, AuthGuard('hanko') decides. */
  @Public()
  @UseGuards(AuthGuard('hanko'))
  @Get('passport')
  passport(@CurrentUser() user: HankoUser): { id: string } {
    return { id: user.id };
  }
}

@Module({ controllers: [AppController] })
export class AppModule {
  /** The issuer's URL is only known at runtime, hence a dynamic module. */
  static forRoot(apiUrl: string): DynamicModule {
    const options: HankoAuthOptions = { apiUrl, audience: 'localhost' };
    return { module: AppModule, imports: [HankoAuthModule.forRoot(options)] };
  }
}
