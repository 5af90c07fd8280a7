import type { dom } from 'ion-js';
import { MAX_RULE_DEPTH, MAX_RULE_NODES, RuleError, type RuleNode } from '../model';

/**
 * An Ion s-expression (from the Ion retrieval format, already parsed by ion-js) as a rule tree. Places are
 * paths of element indexes (`rule/2/1`: the rule's third element, its second element), since Ion values carry
 * no text positions. Throws RuleError.
 */
export function ruleFromIon(value: dom.Value): RuleNode {
  const counter = { nodes: 0 };
  return convert(value, 'rule', 0, counter);
}

function convert(value: dom.Value, at: string, depth: number, counter: { nodes: number }): RuleNode {
  if (depth > MAX_RULE_DEPTH)
    throw new RuleError(`the rule is nested deeper than ${MAX_RULE_DEPTH} levels`, at);
  if (++counter.nodes > MAX_RULE_NODES)
    throw new RuleError(`the rule has more than ${MAX_RULE_NODES} parts`, at);
  const type = value.getType().name;
  if (value.isNull()) throw new RuleError('null is not a rule operand', at);
  switch (type) {
    case 'sexp': {
      const elements = [...(value as unknown as Iterable<dom.Value>)];
      const head = elements[0];
      if (head === undefined || head.getType().name !== 'symbol')
        throw new RuleError('an expression must start with an operator name', at);
      const args: RuleNode[] = [];
      const named: Record<string, RuleNode> = Object.create(null) as Record<string, RuleNode>;
      elements.slice(1).forEach((element, index) => {
        const where = `${at}/${index + 1}`;
        const [name] = element.getAnnotations();
        const node = convert(element, where, depth + 1, counter);
        if (name === undefined) args.push(node);
        else if (Object.hasOwn(named, name)) throw new RuleError(`"${name}::" is given twice`, where);
        else named[name] = node;
      });
      return { kind: 'call', operator: String(head.stringValue()), args, named, at };
    }
    case 'list':
      return {
        kind: 'list',
        items: [...(value as unknown as Iterable<dom.Value>)].map((item, index) =>
          convert(item, `${at}/${index}`, depth + 1, counter),
        ),
        at,
      };
    case 'symbol': {
      const name = String(value.stringValue());
      if (name === 'true' || name === 'false') return { kind: 'boolean', value: name === 'true', at };
      if (name.startsWith('$') && name.length > 1) return { kind: 'context', key: name.slice(1), at };
      return { kind: 'symbol', name, at };
    }
    case 'string':
      return { kind: 'string', value: String(value.stringValue()), at };
    case 'bool':
      return { kind: 'boolean', value: value.booleanValue() === true, at };
    case 'int':
    case 'float':
    case 'decimal': {
      const number = Number(value.numberValue());
      if (!Number.isFinite(number)) throw new RuleError('the number is out of range', at);
      return { kind: 'number', value: number, at };
    }
    case 'timestamp': {
      const date = value.dateValue();
      if (date === null) throw new RuleError('the timestamp is not valid', at);
      return { kind: 'timestamp', value: date.getTime(), text: date.toISOString(), at };
    }
    default:
      throw new RuleError(`an Ion ${type} is not a rule operand`, at);
  }
}
