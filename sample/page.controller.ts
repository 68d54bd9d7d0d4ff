import { createReadStream } from 'node:fs';
import { createRequire } from 'node:module';
import { Controller, Get, Header, Inject, NotFoundException, Optional, StreamableFile } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Public } from 'nestjs-hanko-auth';
import { HankoTestIssuer } from 'nestjs-hanko-auth/testing';
import { samplePage } from './page.view.js';

/** The page a person can click, and the one script it loads from node_modules (no CDN). */
@Public()
@Controller()
export class PageController {
  private readonly html: string;

  constructor(config: ConfigService, @Optional() @Inject(HankoTestIssuer) devIssuer?: HankoTestIssuer) {
    this.html = samplePage(devIssuer ? { mode: 'dev' } : { mode: 'hanko', apiUrl: config.getOrThrow<string>('HANKO_API_URL') });
  }

  @Get('app')
  @Header('content-type', 'text/html; charset=utf-8')
  @Header('cache-control', 'no-store')
  page(): string {
    return this.html;
  }

  /** Hanko's <hanko-auth> element: the browser bundle of @teamhanko/hanko-elements, self-contained. */
  @Get('vendor/hanko-elements.js')
  hankoElements(): StreamableFile {
    let file: string;
    try {
      file = createRequire(import.meta.url).resolve('@teamhanko/hanko-elements');
    } catch {
      throw new NotFoundException('@teamhanko/hanko-elements is not installed');
    }
    return new StreamableFile(createReadStream(file), { type: 'text/javascript; charset=utf-8' });
  }
}
