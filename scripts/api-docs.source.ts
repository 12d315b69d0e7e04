// What the API reference reads from the source through the TypeScript
// compiler API: the router functions and their action tables, each action's
// result type (the handler's awaited return type), the error codes each
// entry point can answer with (every `new AppError('<code>', ...)` its call
// graph reaches), the error catalogue, HTTP route registrations (gateway,
// sandbox) and payNotify's replies.
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

export const ROOT = path.resolve(__dirname, '..');
export const rel = (file: string): string => path.relative(ROOT, file).split(path.sep).join('/');

/** A named type a result refers to, with the file that declares it. */
export interface TypeRef {
  name: string;
  file: string;
}

export interface ResultType {
  text: string;
  refs: TypeRef[];
}

export interface ActionSource {
  name: string;
  description: string;
  /** The use case(s) the handler calls, `core/...` functions by name. */
  useCases: string[];
  result: ResultType;
  codes: string[];
}

export interface ActionTable {
  /** Where the table is declared and exported. */
  file: string;
  exportName: string;
  actions: ActionSource[];
}

export interface RouterSource {
  name: string;
  dir: string;
  description: string;
  tables: ActionTable[];
}

export interface CatalogueEntry {
  code: string;
  category: string;
  /** The details' type as declared, or '' for none. */
  details: string;
  description: string;
  area: string;
  file: string;
  server: boolean;
}

export interface Route {
  method: string;
  path: string;
  file: string;
  line: number;
  /** What the handler checks the JSON body with: a zod expression's source, or the type the body is cast to. */
  body?: { zod: string } | { type: string };
}

export interface JobSource {
  name: string;
  useCase: string;
  file: string;
  result: ResultType;
  codes: string[];
}

export interface HttpReply {
  status: number;
  message: string;
}

const FORMAT =
  ts.TypeFormatFlags.NoTruncation |
  ts.TypeFormatFlags.UseAliasDefinedOutsideCurrentScope |
  ts.TypeFormatFlags.UseSingleQuotesForStringLiteralType;

const ROUTE_METHODS = new Map([
  ['get', 'GET'],
  ['post', 'POST'],
  ['put', 'PUT'],
  ['patch', 'PATCH'],
  ['delete', 'DELETE'],
  ['head', 'HEAD'],
  ['all', 'ANY'],
]);

function functionBody(decl: ts.Node): ts.Node | undefined {
  if (
    ts.isFunctionDeclaration(decl) ||
    ts.isMethodDeclaration(decl) ||
    ts.isFunctionExpression(decl) ||
    ts.isArrowFunction(decl) ||
    ts.isGetAccessorDeclaration(decl) ||
    ts.isConstructorDeclaration(decl)
  )
    return decl.body;
  if (
    (ts.isVariableDeclaration(decl) || ts.isPropertyAssignment(decl) || ts.isPropertyDeclaration(decl)) &&
    decl.initializer
  ) {
    const init = skipOuter(decl.initializer);
    if (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) return init.body;
  }
  return undefined;
}

/** `x as const`, `(x)`, `x satisfies T`: the expression inside. */
function skipOuter(node: ts.Expression): ts.Expression {
  let n = node;
  while (ts.isAsExpression(n) || ts.isParenthesizedExpression(n) || ts.isSatisfiesExpression(n)) n = n.expression;
  return n;
}

function docOf(checker: ts.TypeChecker, node: ts.Node & { name?: ts.Node }): string {
  const symbol = node.name ? checker.getSymbolAtLocation(node.name) : undefined;
  return symbol ? ts.displayPartsToString(symbol.getDocumentationComment(checker)).replace(/\s+/g, ' ').trim() : '';
}

function propName(p: ts.ObjectLiteralElementLike): string | undefined {
  if (!p.name) return undefined;
  if (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) return p.name.text;
  return undefined;
}

export class Source {
  readonly program: ts.Program;
  readonly checker: ts.TypeChecker;
  /** Every AppError construction site a walk has reached: `file:line`. */
  private readonly reached = new Set<string>();
  private readonly serverCodes: Set<string>;

  constructor(rootFiles: string[]) {
    const config = ts.getParsedCommandLineOfConfigFile(path.join(ROOT, 'tsconfig.json'), undefined, {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      },
    });
    if (!config) throw new Error('tsconfig.json could not be read');
    this.program = ts.createProgram(rootFiles, { ...config.options, noEmit: true });
    this.checker = this.program.getTypeChecker();
    this.serverCodes = new Set(
      this.catalogue()
        .filter((e) => e.server)
        .map((e) => e.code),
    );
  }

  file(relPath: string): ts.SourceFile {
    const sf = this.program.getSourceFile(path.join(ROOT, relPath));
    if (!sf) throw new Error(`${relPath} is not part of the program`);
    return sf;
  }

  private inProject(sf: ts.SourceFile): boolean {
    return sf.fileName.startsWith(ROOT) && !sf.fileName.includes('/node_modules/');
  }

  private resolve(node: ts.Node): ts.Symbol | undefined {
    let symbol =
      ts.isShorthandPropertyAssignment(node.parent) && node.parent.name === node
        ? this.checker.getShorthandAssignmentValueSymbol(node.parent)
        : this.checker.getSymbolAtLocation(node);
    if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = this.checker.getAliasedSymbol(symbol);
    return symbol;
  }

  private line(node: ts.Node): string {
    const sf = node.getSourceFile();
    return `${rel(sf.fileName)}:${sf.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
  }

  /**
   * The error codes `start` can answer with: every `new AppError('<code>', ...)`
   * (and `code: '<catalogue code>'` literal) in it and in every function of
   * the project it refers to, transitively. Calls through an interface (the
   * ports) stop at the interface; the adapters raise no AppError (checked by
   * unreachedSites).
   */
  codesFrom(start: ts.Node): string[] {
    const found = new Set<string>();
    const seen = new Set<ts.Node>();
    const queue: ts.Node[] = [start];
    while (queue.length > 0) {
      const node = queue.pop() as ts.Node;
      if (seen.has(node)) continue;
      seen.add(node);
      const visit = (n: ts.Node): void => {
        if (ts.isNewExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === 'AppError') {
          this.reached.add(this.line(n));
          for (const code of this.literalCodes(n.arguments?.[0])) found.add(code);
        }
        if (
          ts.isPropertyAssignment(n) &&
          propName(n) === 'code' &&
          ts.isStringLiteral(n.initializer) &&
          this.serverCodes.has(n.initializer.text)
        )
          found.add(n.initializer.text);
        if (ts.isIdentifier(n)) {
          for (const decl of this.resolve(n)?.declarations ?? []) {
            if (!this.inProject(decl.getSourceFile())) continue;
            const body = functionBody(decl);
            if (body) queue.push(body);
            if (ts.isClassDeclaration(decl))
              for (const m of decl.members) if (ts.isConstructorDeclaration(m)) queue.push(m);
          }
        }
        ts.forEachChild(n, visit);
      };
      visit(node);
    }
    return [...found].sort();
  }

  private literalCodes(arg: ts.Expression | undefined): string[] {
    if (!arg) return [];
    if (ts.isStringLiteralLike(arg)) return [arg.text];
    const type = this.checker.getTypeAtLocation(arg);
    const parts = type.isUnion() ? type.types : [type];
    const codes = parts.filter((t) => t.isStringLiteral()).map((t) => (t as ts.StringLiteralType).value);
    if (codes.length !== parts.length)
      throw new Error(`${this.line(arg)}: AppError with a code that is not a literal (${arg.getText()})`);
    return codes;
  }

  /** AppError sites under cloudfunctions/ that no walk so far reached (call after every codesFrom). */
  unreachedSites(): string[] {
    const out: string[] = [];
    for (const sf of this.program.getSourceFiles()) {
      if (!this.inProject(sf) || !rel(sf.fileName).startsWith('cloudfunctions/')) continue;
      const visit = (n: ts.Node): void => {
        if (ts.isNewExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === 'AppError') {
          const at = this.line(n);
          if (!this.reached.has(at)) out.push(`${at} (${n.arguments?.[0]?.getText() ?? '?'})`);
        }
        ts.forEachChild(n, visit);
      };
      visit(sf);
    }
    return out.sort();
  }

  /** A function's awaited result type, with the named project types it is made of. */
  resultOf(signature: ts.Signature | undefined): ResultType {
    if (!signature) return { text: 'unknown', refs: [] };
    const returned = signature.getReturnType();
    const type = this.checker.getAwaitedType(returned) ?? returned;
    const refs = new Map<string, TypeRef>();
    const collect = (t: ts.Type, depth: number): void => {
      if (depth > 3) return;
      const named = t.aliasSymbol ?? t.getSymbol();
      const decl = named?.declarations?.[0];
      const own = named && decl && !named.name.startsWith('__') && this.inProject(decl.getSourceFile());
      if (own && named && decl) refs.set(named.name, { name: named.name, file: rel(decl.getSourceFile().fileName) });
      if (t.isUnion() || t.isIntersection()) {
        if (!own) for (const part of t.types) collect(part, depth + 1);
        return;
      }
      if (own) return;
      if (named && !named.name.startsWith('__')) {
        // A library type (Array, Record, ...): what it is made of.
        const args =
          t.aliasTypeArguments ??
          ((t as ts.ObjectType).objectFlags & ts.ObjectFlags.Reference
            ? this.checker.getTypeArguments(t as ts.TypeReference)
            : []);
        for (const arg of args) collect(arg, depth + 1);
        return;
      }
      if (t.flags & ts.TypeFlags.Object)
        for (const p of t.getProperties()) collect(this.checker.getTypeOfSymbol(p), depth + 1);
    };
    collect(type, 0);
    return {
      text: this.checker.typeToString(type, undefined, FORMAT).replace(/ \| undefined/g, ''),
      refs: [...refs.values()].sort((a, b) => a.name.localeCompare(b.name)),
    };
  }

  /** The leading `//` comment block of a file, as one paragraph. */
  headerComment(relPath: string): string {
    const text = this.file(relPath).getFullText();
    const lines: string[] = [];
    for (const line of text.split('\n')) {
      const m = /^\/\/ ?(.*)$/.exec(line);
      if (!m) break;
      lines.push(m[1]);
    }
    return lines.join(' ').replace(/\s+/g, ' ').trim();
  }

  /** A router function: `createMain('<name>', <table or { ...tables }>)` in its index.ts. */
  router(dir: string): RouterSource | null {
    const sf = this.file(`cloudfunctions/${dir}/index.ts`);
    let call: ts.CallExpression | undefined;
    const find = (n: ts.Node): void => {
      if (ts.isCallExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === 'createMain') call = n;
      else ts.forEachChild(n, find);
    };
    find(sf);
    if (!call) return null;
    const [nameArg, tablesArg] = call.arguments;
    if (!nameArg || !ts.isStringLiteral(nameArg) || !tablesArg)
      throw new Error(`cloudfunctions/${dir}/index.ts: createMain needs a literal name and a table`);
    const tableIds: ts.Identifier[] = [];
    const table = skipOuter(tablesArg);
    if (ts.isIdentifier(table)) tableIds.push(table);
    else if (ts.isObjectLiteralExpression(table)) {
      for (const p of table.properties) {
        if (ts.isSpreadAssignment(p) && ts.isIdentifier(p.expression)) tableIds.push(p.expression);
        else throw new Error(`cloudfunctions/${dir}/index.ts: list actions by spreading declared tables`);
      }
    } else throw new Error(`cloudfunctions/${dir}/index.ts: unexpected createMain argument`);
    return {
      name: nameArg.text,
      dir,
      description: this.headerComment(`cloudfunctions/${dir}/index.ts`),
      tables: tableIds.map((id) => this.actionTable(id)),
    };
  }

  private actionTable(id: ts.Identifier): ActionTable {
    const decl = this.resolve(id)?.declarations?.find(ts.isVariableDeclaration);
    if (!decl?.initializer || !ts.isIdentifier(decl.name))
      throw new Error(`${this.line(id)}: ${id.text} is not a declared action table`);
    const object = skipOuter(decl.initializer);
    if (!ts.isObjectLiteralExpression(object))
      throw new Error(`${this.line(decl)}: an action table is an object literal`);
    const actions: ActionSource[] = [];
    for (const p of object.properties) {
      const name = propName(p);
      const init = ts.isPropertyAssignment(p) ? skipOuter(p.initializer) : undefined;
      if (
        !name ||
        !init ||
        !ts.isCallExpression(init) ||
        !ts.isIdentifier(init.expression) ||
        init.expression.text !== 'action'
      )
        throw new Error(`${this.line(p)}: each entry of an action table is \`name: action({...})\``);
      const spec = init.arguments[0];
      if (!spec || !ts.isObjectLiteralExpression(spec))
        throw new Error(`${this.line(init)}: action() takes an object literal`);
      const handler = spec.properties.find((q) => propName(q) === 'handler');
      if (!handler) throw new Error(`${this.line(spec)}: ${name} has no handler`);
      let signature: ts.Signature | undefined;
      let body: ts.Node | undefined;
      if (ts.isMethodDeclaration(handler)) {
        signature = this.checker.getSignatureFromDeclaration(handler);
        body = handler.body;
      } else if (ts.isPropertyAssignment(handler)) {
        signature = this.checker.getTypeAtLocation(handler.initializer).getCallSignatures()[0];
        body = handler.initializer;
      }
      if (!body) throw new Error(`${this.line(handler)}: ${name}'s handler is not a function`);
      actions.push({
        name,
        description: docOf(this.checker, p),
        useCases: this.calledUseCases(body),
        result: this.resultOf(signature),
        codes: this.codesFrom(body),
      });
    }
    return { file: decl.getSourceFile().fileName, exportName: decl.name.text, actions };
  }

  /** The core functions a handler calls directly, as `core/<area>/<file>.<name>`. */
  private calledUseCases(body: ts.Node): string[] {
    const out = new Set<string>();
    const visit = (n: ts.Node): void => {
      if (ts.isCallExpression(n)) {
        const decl = this.resolve(ts.isPropertyAccessExpression(n.expression) ? n.expression.name : n.expression)
          ?.declarations?.[0];
        const file = decl ? rel(decl.getSourceFile().fileName) : '';
        if (decl && file.startsWith('cloudfunctions/core/') && !file.startsWith('cloudfunctions/core/runtime/'))
          out.add(
            `${file.replace(/^cloudfunctions\//, '').replace(/\.ts$/, '')}.${n.expression.getText().split('.').pop()}`,
          );
      }
      ts.forEachChild(n, visit);
    };
    visit(body);
    return [...out];
  }

  /** The function a declaration names (for entry points: createMain, a job's run, a main). */
  exportedFunction(relPath: string, name: string): ts.Node {
    const sf = this.file(relPath);
    const symbol = this.checker.getSymbolAtLocation(sf);
    const exported = symbol ? this.checker.getExportsOfModule(symbol).find((s) => s.name === name) : undefined;
    const target =
      exported && exported.flags & ts.SymbolFlags.Alias ? this.checker.getAliasedSymbol(exported) : exported;
    const decl = target?.declarations?.[0];
    if (!decl) throw new Error(`${relPath} exports no ${name}`);
    return decl;
  }

  /** The declaration text of an exported interface or type (with its comments), for code blocks. */
  declarationText(relPath: string, name: string): string {
    const sf = this.file(relPath);
    for (const s of sf.statements) {
      if ((ts.isInterfaceDeclaration(s) || ts.isTypeAliasDeclaration(s)) && s.name.text === name) {
        const leading = sf.getFullText().slice(s.getFullStart(), s.getStart()).trim();
        return `${leading ? `${leading}\n` : ''}${s.getText()}`;
      }
    }
    throw new Error(`${relPath} declares no ${name}`);
  }

  /** The jobs of `cloudfunctions/jobs/registry.ts`: use case, result type, codes. */
  jobs(): JobSource[] {
    const decl = this.exportedFunction('cloudfunctions/jobs/registry.ts', 'jobs');
    if (!ts.isVariableDeclaration(decl) || !decl.initializer) throw new Error('jobs is not a declared table');
    const object = skipOuter(decl.initializer);
    if (!ts.isObjectLiteralExpression(object)) throw new Error('jobs is not an object literal');
    const out: JobSource[] = [];
    for (const p of object.properties) {
      const name = propName(p);
      if (!name || !ts.isPropertyAssignment(p) || !ts.isObjectLiteralExpression(p.initializer))
        throw new Error(`${this.line(p)}: each job is \`name: { everyMs, run }\``);
      const run = p.initializer.properties.find((q) => propName(q) === 'run');
      if (!run || !ts.isPropertyAssignment(run)) throw new Error(`${this.line(p)}: job ${name} has no run`);
      let target = skipOuter(run.initializer);
      // `(deps) => useCase(deps)`: the use case it calls.
      if (ts.isArrowFunction(target) && ts.isCallExpression(target.body)) target = target.body.expression;
      const useCaseDecl = this.resolve(target)?.declarations?.[0];
      out.push({
        name,
        useCase: target.getText(),
        file: useCaseDecl ? rel(useCaseDecl.getSourceFile().fileName) : '',
        result: this.resultOf(this.checker.getTypeAtLocation(run.initializer).getCallSignatures()[0]),
        codes: this.codesFrom(run.initializer),
      });
    }
    return out;
  }

  /**
   * The replies an HTTP function's handler returns: calls that build an
   * HttpResult from a literal status and message, and literal
   * `{ statusCode }` objects.
   */
  httpReplies(fn: ts.Node): HttpReply[] {
    const replies = new Map<string, HttpReply>();
    const bodies: ts.Node[] = [fn];
    // The main usually hands over to a core function: follow direct calls into the project once.
    const visitCalls = (n: ts.Node): void => {
      if (ts.isCallExpression(n)) {
        for (const d of this.resolve(n.expression)?.declarations ?? []) {
          const body = this.inProject(d.getSourceFile()) ? functionBody(d) : undefined;
          if (body && !bodies.includes(body)) bodies.push(body);
        }
      }
      ts.forEachChild(n, visitCalls);
    };
    visitCalls(fn);
    for (const body of bodies) {
      const visit = (n: ts.Node): void => {
        if (ts.isCallExpression(n) && n.arguments.length >= 1 && ts.isNumericLiteral(n.arguments[0])) {
          const returned = this.checker.getResolvedSignature(n)?.getReturnType();
          if (returned && (returned.aliasSymbol ?? returned.getSymbol())?.name === 'HttpResult') {
            const status = Number(n.arguments[0].text);
            const message = n.arguments[1] && ts.isStringLiteralLike(n.arguments[1]) ? n.arguments[1].text : '';
            replies.set(`${status} ${message}`, { status, message });
          }
        }
        if (ts.isObjectLiteralExpression(n)) {
          const status = n.properties.find((p) => propName(p) === 'statusCode');
          if (status && ts.isPropertyAssignment(status) && ts.isNumericLiteral(status.initializer)) {
            const value = Number(status.initializer.text);
            replies.set(`${value} `, { status: value, message: '' });
          }
        }
        ts.forEachChild(n, visit);
      };
      visit(body);
    }
    return [...replies.values()].sort((a, b) => a.status - b.status || a.message.localeCompare(b.message));
  }

  /** fastify route registrations (`app.get('/path', ...)` on a FastifyInstance) in these files. */
  routes(relPaths: string[]): Route[] {
    const out: Route[] = [];
    for (const relPath of relPaths) {
      const sf = this.file(relPath);
      const visit = (n: ts.Node): void => {
        if (
          ts.isCallExpression(n) &&
          ts.isPropertyAccessExpression(n.expression) &&
          ROUTE_METHODS.has(n.expression.name.text) &&
          n.arguments.length >= 2 &&
          /^FastifyInstance\b/.test(this.checker.typeToString(this.checker.getTypeAtLocation(n.expression.expression)))
        ) {
          const method = ROUTE_METHODS.get(n.expression.name.text) as string;
          const handler = n.arguments[n.arguments.length - 1];
          const body = this.bodyCheck(handler, 0);
          for (const p of this.paths(n.arguments[0]))
            out.push({
              method,
              path: p,
              file: relPath,
              line: sf.getLineAndCharacterOfPosition(n.getStart()).line + 1,
              ...(body ? { body } : {}),
            });
        }
        ts.forEachChild(n, visit);
      };
      visit(sf);
    }
    return out;
  }

  /**
   * How a route handler reads its body: the zod schema of a `parse(<schema>,
   * ...)` call in it, or in the function it hands `request.body` to; else
   * the type `request.body` is cast to.
   */
  private bodyCheck(handler: ts.Node, depth: number): Route['body'] {
    let found: Route['body'];
    const visit = (n: ts.Node): void => {
      if (found) return;
      if (ts.isCallExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === 'parse' && n.arguments[0]) {
        const zod = this.zodSource(n.arguments[0]);
        if (zod) {
          found = { zod };
          return;
        }
      }
      if (ts.isCallExpression(n) && depth === 0 && n.arguments.some((a) => /\brequest\.body\b/.test(a.getText()))) {
        for (const d of this.resolve(n.expression)?.declarations ?? []) {
          const body = this.inProject(d.getSourceFile()) ? functionBody(d) : undefined;
          const inner = body ? this.bodyCheck(body, depth + 1) : undefined;
          if (inner && 'zod' in inner) {
            found = inner;
            return;
          }
        }
      }
      if (depth === 0 && ts.isAsExpression(n) && /\brequest\.body\b/.test(n.expression.getText()))
        found = { type: n.type.getText() };
      ts.forEachChild(n, visit);
    };
    visit(handler);
    return found;
  }

  private zodSource(e: ts.Expression): string | undefined {
    if (ts.isIdentifier(e)) {
      const decl = this.resolve(e)?.declarations?.find(ts.isVariableDeclaration);
      const text = decl?.initializer?.getText();
      return text?.startsWith('z.') ? text : undefined;
    }
    return e.getText().startsWith('z.') ? e.getText() : undefined;
  }

  /** A route path: a literal, or a template whose parts are literal unions (`${action}` over ['sign', 'confirm']). */
  private paths(arg: ts.Expression): string[] {
    if (ts.isStringLiteralLike(arg)) return [arg.text];
    if (!ts.isTemplateExpression(arg)) throw new Error(`${this.line(arg)}: a route path that is not a literal`);
    let paths = [arg.head.text];
    for (const span of arg.templateSpans) {
      const type = this.checker.getTypeAtLocation(span.expression);
      const parts = type.isUnion() ? type.types : [type];
      const values = parts.map((t) => (t.isStringLiteral() ? t.value : null));
      if (values.some((v) => v === null))
        throw new Error(`${this.line(span)}: a route path part that is not a literal union`);
      paths = paths.flatMap((p) => values.map((v) => `${p}${v}${span.literal.text}`));
    }
    return paths;
  }

  /** The error catalogue (miniprogram/shared/errors): code, category, details type, doc comment. */
  catalogue(): CatalogueEntry[] {
    const index = this.file('miniprogram/shared/errors/index.ts');
    const server = new Set<string>();
    const tables: ts.Identifier[] = [];
    const visit = (n: ts.Node): void => {
      if (ts.isVariableDeclaration(n) && n.initializer && ts.isObjectLiteralExpression(n.initializer)) {
        for (const p of n.initializer.properties) {
          if (ts.isSpreadAssignment(p) && ts.isIdentifier(p.expression)) {
            if (ts.isIdentifier(n.name) && n.name.text === 'serverErrors') server.add(p.expression.text);
            if (!tables.some((t) => t.text === (p.expression as ts.Identifier).text)) tables.push(p.expression);
          }
        }
      }
      ts.forEachChild(n, visit);
    };
    visit(index);
    const out: CatalogueEntry[] = [];
    for (const id of tables) {
      const decl = this.resolve(id)?.declarations?.find(ts.isVariableDeclaration);
      const object = decl?.initializer ? skipOuter(decl.initializer) : undefined;
      if (!decl || !object || !ts.isObjectLiteralExpression(object)) continue;
      for (const p of object.properties) {
        const code = propName(p);
        if (!code || !ts.isPropertyAssignment(p) || !ts.isCallExpression(p.initializer)) continue;
        const category = p.initializer.arguments[0];
        out.push({
          code,
          category: category && ts.isStringLiteral(category) ? category.text : '?',
          details: p.initializer.typeArguments?.[0]?.getText().replace(/\s+/g, ' ') ?? '',
          description: docOf(this.checker, p),
          area: id.text.replace(/Errors$/, ''),
          file: rel(decl.getSourceFile().fileName),
          server: server.has(id.text),
        });
      }
    }
    return out;
  }

  /** The source text of a module-level `const <name> = ...` initializer. */
  constInitializer(relPath: string, name: string): string {
    const sf = this.file(relPath);
    for (const s of sf.statements) {
      if (!ts.isVariableStatement(s)) continue;
      for (const d of s.declarationList.declarations)
        if (ts.isIdentifier(d.name) && d.name.text === name && d.initializer) return d.initializer.getText();
    }
    throw new Error(`${relPath} declares no const ${name}`);
  }

  /** `.ts` files of a folder, relative to the root, sorted. */
  static tsFiles(relDir: string): string[] {
    return fs
      .readdirSync(path.join(ROOT, relDir))
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
      .sort()
      .map((f) => `${relDir}/${f}`);
  }
}
