import { IonTypes, type Reader } from 'ion-js';
import { MAX_RULE_DEPTH, MAX_RULE_NODES, RuleError, type RuleNode } from '../model';

/**
 * The Ion value the reader is on (an s-expression of the Ion retrieval format) as a rule tree, read straight from
 * ion-js's reader: no DOM of the document is built, which for a 10,000-flag profile was most of the load's
 * allocation and of its garbage-collection pauses. Places are paths of element indexes (`rule/2/1`: the rule's
 * third element, its second element), since Ion values carry no text positions.
 *
 * A RuleError is returned, not thrown, with the reader moved past the rule, so the document's other values are
 * still read (and checked to be Ion). An error of the reader itself (content that is not Ion) is thrown.
 */
export function ruleFromIon(reader: Reader): RuleNode | RuleError {
  const depth = reader.depth();
  try {
    return convert(reader, 'rule', 0, { nodes: 0 });
  } catch (error) {
    if (!(error instanceof RuleError)) throw error;
    while (reader.depth() > depth) reader.stepOut();
    return error;
  }
}

function convert(reader: Reader, at: string, depth: number, counter: { nodes: number }): RuleNode {
  if (depth > MAX_RULE_DEPTH)
    throw new RuleError(`the rule is nested deeper than ${MAX_RULE_DEPTH} levels`, at);
  if (++counter.nodes > MAX_RULE_NODES)
    throw new RuleError(`the rule has more than ${MAX_RULE_NODES} parts`, at);
  const type = reader.type();
  if (reader.isNull()) throw new RuleError('null is not a rule operand', at);
  switch (type) {
    case IonTypes.SEXP:
      return call(reader, at, depth, counter);
    case IonTypes.LIST: {
      const items: RuleNode[] = [];
      reader.stepIn();
      for (let index = 0; reader.next() !== null; index++)
        items.push(convert(reader, `${at}/${index}`, depth + 1, counter));
      reader.stepOut();
      return { kind: 'list', items, at };
    }
    case IonTypes.SYMBOL: {
      const name = String(reader.stringValue());
      if (name === 'true' || name === 'false') return { kind: 'boolean', value: name === 'true', at };
      if (name.startsWith('$') && name.length > 1) return { kind: 'context', key: name.slice(1), at };
      return { kind: 'symbol', name, at };
    }
    case IonTypes.STRING:
      return { kind: 'string', value: String(reader.stringValue()), at };
    case IonTypes.BOOL:
      return { kind: 'boolean', value: reader.booleanValue() === true, at };
    case IonTypes.INT:
    case IonTypes.FLOAT:
    case IonTypes.DECIMAL: {
      const number =
        type === IonTypes.DECIMAL
          ? Number(reader.decimalValue()?.numberValue())
          : Number(reader.numberValue());
      if (!Number.isFinite(number)) throw new RuleError('the number is out of range', at);
      return { kind: 'number', value: number, at };
    }
    case IonTypes.TIMESTAMP: {
      const date = reader.timestampValue()?.getDate();
      if (date === undefined || Number.isNaN(date.getTime()))
        throw new RuleError('the timestamp is not valid', at);
      return { kind: 'timestamp', value: date.getTime(), text: date.toISOString(), at };
    }
    default:
      throw new RuleError(`an Ion ${type?.name ?? 'value'} is not a rule operand`, at);
  }
}

/** `(operator arg… name::arg…)`: the head is a symbol; an annotated element is a named operand. */
function call(reader: Reader, at: string, depth: number, counter: { nodes: number }): RuleNode {
  reader.stepIn();
  if (reader.next() !== IonTypes.SYMBOL || reader.isNull())
    throw new RuleError('an expression must start with an operator name', at);
  const operator = String(reader.stringValue());
  const args: RuleNode[] = [];
  const named: Record<string, RuleNode> = Object.create(null) as Record<string, RuleNode>;
  for (let index = 1; reader.next() !== null; index++) {
    const where = `${at}/${index}`;
    const [name] = reader.annotations();
    const node = convert(reader, where, depth + 1, counter);
    if (name === undefined) args.push(node);
    else if (Object.hasOwn(named, name)) throw new RuleError(`"${name}::" is given twice`, where);
    else named[name] = node;
  }
  reader.stepOut();
  return { kind: 'call', operator, args, named, at };
}
