import { Controller, Get, UseGuards } from '@nestjs/common';
import { CurrentUser, HankoGuard, Public, type HankoUser } from '../../src/index.js';

@Controller()
export class ProtectedController {
  @Get('protected')
  protectedRoute(@CurrentUser() user: HankoUser) {
    return { id: user.id };
  }

  @Get('me')
  me(@CurrentUser() user: HankoUser) {
    return user;
  }

  @Get('me/email')
  email(@CurrentUser('email') email: HankoUser['email']) {
    return { email: email ?? null };
  }

  @Public()
  @Get('public')
  publicRoute(@CurrentUser() user: HankoUser | undefined) {
    return { user: user?.id ?? null };
  }
}

@Public()
@Controller('open')
export class PublicController {
  @Get()
  open(@CurrentUser() user: HankoUser | undefined) {
    return { user: user?.id ?? null };
  }
}

@UseGuards(HankoGuard)
@Controller('guarded')
export class ExplicitlyGuardedController {
  @Get()
  guarded(@CurrentUser('id') id: string) {
    return { id };
  }
}
