// Base images of generated builds (pure): what a plan needs per runtime, the defaults behind KYOZO_IMAGE_*
// (server/config.ts reads the variables), and public images for runtimes without a variable yet.

export interface BaseImages {
  node: string;
  bun: string;
  deno: string;
  python: string;
  go: string;
  ruby: string;
  php: string;
  static: string;
  /** Image generated multi-stage builds use to build static sites (needs node + npm). */
  nodeBuild: string;
  /** Optional: rust, java, elixir and .NET plans fall back to public images when unset. */
  rust?: string;
  rustRun?: string;
  java?: string;
  javaRun?: string;
  elixir?: string;
  elixirRun?: string;
  dotnetSdk?: string;
  dotnetRun?: string;
}

/** Defaults of server/config.ts (KYOZO_IMAGE_* unset); test/build/plan.test.ts keeps the two equal. */
export const DEFAULT_IMAGES: BaseImages = {
  node: 'node:20-slim',
  bun: 'oven/bun:1',
  deno: 'denoland/deno:2.1.4',
  python: 'python:3.12-slim',
  go: 'golang:1.23',
  ruby: 'ruby:3.3-slim',
  php: 'php:8.3-apache',
  static: 'busybox:1.36',
  nodeBuild: 'node:20',
};

/** Images for runtimes Kyozo's config has no variable for yet (public defaults). */
export interface ExtraImages {
  rust: string;
  rustRun: string;
  java: string;
  javaRun: string;
  elixir: string;
  elixirRun: string;
  dotnetSdk: string;
  dotnetRun: string;
}
export const EXTRA_IMAGES: ExtraImages = {
  rust: 'rust:1-slim-bookworm',
  rustRun: 'debian:bookworm-slim',
  java: 'eclipse-temurin:21-jdk',
  javaRun: 'eclipse-temurin:21-jre',
  elixir: 'hexpm/elixir:1.17.3-erlang-27.1.2-debian-bookworm-20241016-slim',
  elixirRun: 'debian:bookworm-slim',
  dotnetSdk: 'mcr.microsoft.com/dotnet/sdk:8.0',
  dotnetRun: 'mcr.microsoft.com/dotnet/aspnet:8.0',
};

/** What a plan is given (config.images); the per-runtime planners get every image filled in. */
export type PlanImages = BaseImages & Partial<ExtraImages>;
export type AllImages = BaseImages & ExtraImages;
