var __decorate = (this && this.__decorate) || function (decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
};
var __metadata = (this && this.__metadata) || function (k, v) {
    if (typeof Reflect === "object" && typeof Reflect.metadata === "function") return Reflect.metadata(k, v);
};
import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { HankoKeySource } from '../keys/hanko-key.source.js';
/**
 * A @nestjs/terminus indicator for Hanko's key set: up when the latest fetch succeeded and holds a
 * usable RS256 signing key; down otherwise, saying whether requests are being served from a stale
 * set. It reports the key source's state and never fetches itself, so a probe every few seconds
 * adds no load on Hanko. Lives in its own entry point (`nestjs-hanko-auth/health`): apps without
 * terminus never load it.
 */
let HankoHealthIndicator = class HankoHealthIndicator {
    keys;
    indicator;
    constructor(keys, indicator) {
        this.keys = keys;
        this.indicator = indicator;
    }
    isHealthy(key = 'hanko') {
        const session = this.indicator.check(key);
        const status = this.keys.status();
        const ageSeconds = status.fetchedAt === undefined ? null : Math.round((Date.now() - status.fetchedAt.getTime()) / 1000);
        const details = {
            keys: status.kids.length,
            fetchedAt: status.fetchedAt?.toISOString() ?? null,
            ageSeconds,
            servingStale: status.lastError !== undefined && status.usable,
            ...(status.lastError !== undefined ? { lastError: status.lastError } : {}),
        };
        return status.lastError === undefined && status.usable ? session.up(details) : session.down(details);
    }
};
HankoHealthIndicator = __decorate([
    Injectable(),
    __metadata("design:paramtypes", [HankoKeySource,
        HealthIndicatorService])
], HankoHealthIndicator);
export { HankoHealthIndicator };
//# sourceMappingURL=hanko.health.js.map