// Optional peers of @nestjs/apollo, @nestjs/graphql and @nestjs/mercurius (federation gateways, the
// CLI plugin's AST explorer) whose types their .d.ts files name. We use none of them; with
// skipLibCheck off, declaring the names is cheaper than installing the packages for their types.
declare module '@apollo/gateway' {
  export type GatewayConfig = unknown;
}

declare module '@mercuriusjs/gateway' {
  export type MercuriusGatewayOptions = unknown;
}

declare module 'ts-morph' {
  export type ClassDeclarationStructure = unknown;
  export type EnumDeclarationStructure = unknown;
  export type InterfaceDeclarationStructure = unknown;
  export type MethodDeclarationStructure = unknown;
  export type MethodSignatureStructure = unknown;
  export type OptionalKind<T> = T;
  export type ParameterDeclarationStructure = unknown;
  export type PropertyDeclarationStructure = unknown;
  export type PropertySignatureStructure = unknown;
  export type SourceFile = unknown;
  export type TypeAliasDeclarationStructure = unknown;
}
