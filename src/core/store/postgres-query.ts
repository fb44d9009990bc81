/** Collects values and hands out their `$n` placeholders, so conditions compose without string values. */
export class ParameterisedQuery {
  readonly values: unknown[] = [];
  private readonly conditions: string[] = [];

  param(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }

  where(condition: (placeholder: string) => string, value: unknown): void {
    this.conditions.push(condition(this.param(value)));
  }

  whereClause(): string {
    return this.conditions.length === 0 ? '' : `WHERE ${this.conditions.join(' AND ')}`;
  }
}
