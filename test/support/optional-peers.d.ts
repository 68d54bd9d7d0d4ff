// Optional peers of @nestjs/apollo, @nestjs/graphql and @nestjs/mercurius (federation gateways, the
// CLI plugin's AST explorer) whose types their .d.ts files name. We use none of them; with
// skipLibCheck off, declaring the names is cheaper than installing the packages for their types.
declare module '@apollo/gateway' {
  export type GatewayConfig = any;
}

declare module '@mercuriusjs/gateway' {
  export type MercuriusGatewayOptions = any;
}

declare module 'ts-morph' {
  export type ClassDeclarationStructure = any;
  export type EnumDeclarationStructure = any;
  export type InterfaceDeclarationStructure = any;
  export type MethodDeclarationStructure = any;
  export type MethodSignatureStructure = any;
  export type OptionalKind<T> = T;
  export type ParameterDeclarationStructure = any;
  export type PropertyDeclarationStructure = any;
  export type PropertySignatureStructure = any;
  export type SourceFile = any;
  export type TypeAliasDeclarationStructure = any;
}
