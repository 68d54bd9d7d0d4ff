import { UseGuards } from '@nestjs/common';
import { Field, ObjectType, Query, Resolver } from '@nestjs/graphql';
import { CurrentUser, HankoGuard, Public, RequireAmr, type HankoUser } from '../../src/index.js';

@ObjectType()
export class Me {
  @Field()
  id!: string;

  @Field(() => String, { nullable: true })
  email?: string;

  @Field(() => [String])
  amr!: string[];
}

/** The GraphQL twin of ProtectedController: the same routes as queries. */
@Resolver()
export class ProtectedResolver {
  @Query(() => Me)
  me(@CurrentUser() user: HankoUser): Me {
    return { id: user.id, email: user.email?.address, amr: [...user.amr] };
  }

  @Query(() => String, { nullable: true })
  email(@CurrentUser('email') email: HankoUser['email']): string | null {
    return email?.address ?? null;
  }

  @Public()
  @Query(() => String, { nullable: true })
  hello(@CurrentUser() user: HankoUser | undefined): string | null {
    return user?.id ?? null;
  }

  @RequireAmr('passkey')
  @Query(() => String)
  passkeyOnly(@CurrentUser('id') id: string): string {
    return id;
  }
}

@Public()
@Resolver()
export class PublicResolver {
  @Query(() => String, { nullable: true })
  open(@CurrentUser('id') id: string | undefined): string | null {
    return id ?? null;
  }
}

@UseGuards(HankoGuard)
@Resolver()
export class ExplicitlyGuardedResolver {
  @Query(() => String)
  guarded(@CurrentUser('id') id: string): string {
    return id;
  }
}
