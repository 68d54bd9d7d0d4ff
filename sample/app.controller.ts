import { Controller, Get } from '@nestjs/common';
import { CurrentUser, Public, type HankoUser } from 'nestjs-hanko-auth';

@Controller()
export class AppController {
  @Public()
  @Get()
  home(@CurrentUser() user: HankoUser | undefined) {
    return { hello: user ? `signed in as ${user.email?.address ?? user.id}` : 'anonymous', try: ['/me', '/protected'] };
  }

  @Get('me')
  me(@CurrentUser() user: HankoUser) {
    return user;
  }

  @Get('protected')
  protectedRoute(@CurrentUser('id') userId: string) {
    return { secret: 42, for: userId };
  }
}
