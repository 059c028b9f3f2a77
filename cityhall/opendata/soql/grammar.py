"""SoQL's grammar (the subset we serve), for lark's LALR parser.

One grammar serves every parameter: each of $select, $where, $group, $having and $order is a
start rule, and `query` is the whole of a $query. Keywords are case-insensitive, as Socrata's.
"""

GRAMMAR = r"""
start_select: select_list
start_where: expr
start_group: expr_list
start_order: order_list
start_query: query

query: SELECT select_list where_part? group_part? having_part? order_part? limit_part? offset_part? search_part?
where_part: WHERE expr
group_part: GROUP BY expr_list
having_part: HAVING expr
order_part: ORDER BY order_list
limit_part: LIMIT INT
offset_part: OFFSET INT
search_part: SEARCH STRING

select_list: select_item ("," select_item)*
select_item: "*"                      -> star
           | expr (AS name)?          -> select_expr
order_list: order_item ("," order_item)*
order_item: expr (ASC | DESC)?
expr_list: expr ("," expr)*

?expr: or_expr
?or_expr: and_expr
        | or_expr OR and_expr                         -> or_
?and_expr: not_expr
         | and_expr AND not_expr                      -> and_
?not_expr: predicate
         | NOT not_expr                               -> not_
?predicate: sum
          | sum COMPARE sum                           -> compare
          | sum IS NULL                               -> is_null
          | sum IS NOT NULL                           -> is_not_null
          | sum BETWEEN sum AND sum                   -> between
          | sum NOT BETWEEN sum AND sum               -> not_between
          | sum IN "(" expr_list ")"                  -> in_
          | sum NOT IN "(" expr_list ")"              -> not_in
          | sum LIKE sum                              -> like
          | sum NOT LIKE sum                          -> not_like
?sum: product
    | sum ADD product                                 -> arithmetic
?product: unary
        | product MUL unary                           -> arithmetic
?unary: atom
      | SUB unary                                     -> negate
?atom: STRING                                         -> string
     | NUMBER                                         -> number
     | INT                                            -> number
     | TRUE                                           -> true
     | FALSE                                          -> false
     | NULL                                           -> null
     | name "(" STAR ")"                              -> call_star
     | name "(" [expr_list] ")"                       -> call
     | name                                           -> column
     | "(" expr ")"
name: NAME | QUOTED_NAME

SELECT: "select"i
WHERE: "where"i
GROUP: "group"i
HAVING: "having"i
ORDER: "order"i
BY: "by"i
LIMIT: "limit"i
OFFSET: "offset"i
SEARCH: "search"i
AS: "as"i
ASC: "asc"i
DESC: "desc"i
AND: "and"i
OR: "or"i
NOT: "not"i
IS: "is"i
NULL: "null"i
BETWEEN: "between"i
IN: "in"i
LIKE: "like"i
TRUE: "true"i
FALSE: "false"i

COMPARE: "=" | "==" | "!=" | "<>" | "<=" | ">=" | "<" | ">"
ADD: "+" | "||"
SUB: "-"
MUL: "*" | "/"
STAR: "*"
INT: /[0-9]+/
NUMBER: /[0-9]+\.[0-9]*([eE][+-]?[0-9]+)?|\.[0-9]+([eE][+-]?[0-9]+)?|[0-9]+[eE][+-]?[0-9]+/
STRING: /'(?:[^']|'')*'/ | /"(?:[^"]|"")*"/
NAME: /[A-Za-z_][A-Za-z0-9_]*/
QUOTED_NAME: /`[^`]+`/

%import common.WS
%ignore WS
"""
