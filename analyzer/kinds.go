package analyzer

// Kind is a node kind of the tree-sitter-c-sharp grammar, such as
// invocation_expression; anonymous tokens have their text as kind ("++",
// "static"). Kinds are small numbers so that a node stays small and comparing
// kinds is one integer compare; String gives the grammar's name.
type Kind uint16

// Node kinds that lmilint reads. A test checks every name against the bundled
// grammar, so a grammar upgrade that renames a kind fails loudly instead of
// silently matching nothing. Other kinds of the grammar get numbers after
// these when the grammar is loaded.
const (
	KindSpan Kind = iota // not in the grammar: a range made by HeaderNode
	KindError
	KindCompilationUnit
	KindNamespace
	KindFileScopedNamespace
	KindClass
	KindStruct
	KindRecord
	KindInterface
	KindDeclarationList
	KindBaseList
	KindModifier
	KindAttributeList
	KindAttribute
	KindAttributeArgument
	KindFieldDeclaration
	KindEventFieldDeclaration
	KindPropertyDeclaration
	KindAccessorList
	KindAccessorDeclaration
	KindVariableDeclaration
	KindVariableDeclarator
	KindMethodDeclaration
	KindConstructorDeclaration
	KindDestructorDeclaration
	KindOperatorDeclaration
	KindConversionOperator
	KindLocalFunction
	KindParameterList
	KindParameter
	KindImplicitParameter
	KindArrowExpressionClause
	KindBlock
	KindGlobalStatement
	KindLocalDeclaration
	KindExpressionStatement
	KindIfStatement
	KindLockStatement
	KindUsingStatement
	KindForeachStatement
	KindReturnStatement
	KindTryStatement
	KindIdentifier
	KindQualifiedName
	KindGenericName
	KindPredefinedType
	KindNullableType
	KindArrayType
	KindImplicitType
	KindTypeArgumentList
	KindThis
	KindBase
	KindAssignment
	KindPostfixUnary
	KindPrefixUnary
	KindBinary
	KindInvocation
	KindArgumentList
	KindArgument
	KindMemberAccess
	KindConditionalAccess
	KindMemberBinding
	KindElementAccess
	KindElementBinding
	KindObjectCreation
	KindImplicitObjectCreation
	KindArrayCreation
	KindInitializerExpression
	KindLambda
	KindAnonymousMethod
	KindAwait
	KindCast
	KindParenthesizedExpression
	KindTupleExpression
	KindDeclarationExpression
	KindIsPattern
	KindConstantPattern
	KindStringLiteral
	KindStringLiteralContent
	KindVerbatimStringLiteral
	KindRawStringLiteral
	KindInterpolatedString
	KindInterpolation
	KindStringContent
	KindNullLiteral
	KindDefaultExpression
	KindTypeofExpression
	KindComment
	KindPreprocPragma
	KindUsingDirective
	KindTypeParameterList
	KindEscapeSequence
	KindPrimaryConstructorBase
	KindAttributeArgumentList
	KindConstructorInitializer
	KindWithInitializer
	KindInterpolationBrace
	KindInterpolationFormatClause
	KindInterpolationAlignmentClause
	KindIntegerLiteral
	KindAnonymousObjectCreation
	KindConditionalExpression
	KindBooleanLiteral
	KindDeclarationPattern
	KindCatchDeclaration
	KindEnumDeclaration
	KindDelegateDeclaration
	KindPreprocRegion
	KindPreprocEndRegion
	KindPreprocNullable
	KindTupleElement
	KindTuplePattern
	KindEnumMember

	numNamedKinds
)

// kindNames gives each constant above its grammar name.
var kindNames = [numNamedKinds]string{
	KindSpan:                         "span",
	KindError:                        "ERROR",
	KindCompilationUnit:              "compilation_unit",
	KindNamespace:                    "namespace_declaration",
	KindFileScopedNamespace:          "file_scoped_namespace_declaration",
	KindClass:                        "class_declaration",
	KindStruct:                       "struct_declaration",
	KindRecord:                       "record_declaration",
	KindInterface:                    "interface_declaration",
	KindDeclarationList:              "declaration_list",
	KindBaseList:                     "base_list",
	KindModifier:                     "modifier",
	KindAttributeList:                "attribute_list",
	KindAttribute:                    "attribute",
	KindAttributeArgument:            "attribute_argument",
	KindFieldDeclaration:             "field_declaration",
	KindEventFieldDeclaration:        "event_field_declaration",
	KindPropertyDeclaration:          "property_declaration",
	KindAccessorList:                 "accessor_list",
	KindAccessorDeclaration:          "accessor_declaration",
	KindVariableDeclaration:          "variable_declaration",
	KindVariableDeclarator:           "variable_declarator",
	KindMethodDeclaration:            "method_declaration",
	KindConstructorDeclaration:       "constructor_declaration",
	KindDestructorDeclaration:        "destructor_declaration",
	KindOperatorDeclaration:          "operator_declaration",
	KindConversionOperator:           "conversion_operator_declaration",
	KindLocalFunction:                "local_function_statement",
	KindParameterList:                "parameter_list",
	KindParameter:                    "parameter",
	KindImplicitParameter:            "implicit_parameter",
	KindArrowExpressionClause:        "arrow_expression_clause",
	KindBlock:                        "block",
	KindGlobalStatement:              "global_statement",
	KindLocalDeclaration:             "local_declaration_statement",
	KindExpressionStatement:          "expression_statement",
	KindIfStatement:                  "if_statement",
	KindLockStatement:                "lock_statement",
	KindUsingStatement:               "using_statement",
	KindForeachStatement:             "foreach_statement",
	KindReturnStatement:              "return_statement",
	KindTryStatement:                 "try_statement",
	KindIdentifier:                   "identifier",
	KindQualifiedName:                "qualified_name",
	KindGenericName:                  "generic_name",
	KindPredefinedType:               "predefined_type",
	KindNullableType:                 "nullable_type",
	KindArrayType:                    "array_type",
	KindImplicitType:                 "implicit_type",
	KindTypeArgumentList:             "type_argument_list",
	KindThis:                         "this",
	KindBase:                         "base",
	KindAssignment:                   "assignment_expression",
	KindPostfixUnary:                 "postfix_unary_expression",
	KindPrefixUnary:                  "prefix_unary_expression",
	KindBinary:                       "binary_expression",
	KindInvocation:                   "invocation_expression",
	KindArgumentList:                 "argument_list",
	KindArgument:                     "argument",
	KindMemberAccess:                 "member_access_expression",
	KindConditionalAccess:            "conditional_access_expression",
	KindMemberBinding:                "member_binding_expression",
	KindElementAccess:                "element_access_expression",
	KindElementBinding:               "element_binding_expression",
	KindObjectCreation:               "object_creation_expression",
	KindImplicitObjectCreation:       "implicit_object_creation_expression",
	KindArrayCreation:                "array_creation_expression",
	KindInitializerExpression:        "initializer_expression",
	KindLambda:                       "lambda_expression",
	KindAnonymousMethod:              "anonymous_method_expression",
	KindAwait:                        "await_expression",
	KindCast:                         "cast_expression",
	KindParenthesizedExpression:      "parenthesized_expression",
	KindTupleExpression:              "tuple_expression",
	KindDeclarationExpression:        "declaration_expression",
	KindIsPattern:                    "is_pattern_expression",
	KindConstantPattern:              "constant_pattern",
	KindStringLiteral:                "string_literal",
	KindStringLiteralContent:         "string_literal_content",
	KindVerbatimStringLiteral:        "verbatim_string_literal",
	KindRawStringLiteral:             "raw_string_literal",
	KindInterpolatedString:           "interpolated_string_expression",
	KindInterpolation:                "interpolation",
	KindStringContent:                "string_content",
	KindNullLiteral:                  "null_literal",
	KindDefaultExpression:            "default_expression",
	KindTypeofExpression:             "typeof_expression",
	KindComment:                      "comment",
	KindPreprocPragma:                "preproc_pragma",
	KindUsingDirective:               "using_directive",
	KindTypeParameterList:            "type_parameter_list",
	KindEscapeSequence:               "escape_sequence",
	KindPrimaryConstructorBase:       "primary_constructor_base_type",
	KindAttributeArgumentList:        "attribute_argument_list",
	KindConstructorInitializer:       "constructor_initializer",
	KindWithInitializer:              "with_initializer",
	KindInterpolationBrace:           "interpolation_brace",
	KindInterpolationFormatClause:    "interpolation_format_clause",
	KindInterpolationAlignmentClause: "interpolation_alignment_clause",
	KindIntegerLiteral:               "integer_literal",
	KindAnonymousObjectCreation:      "anonymous_object_creation_expression",
	KindConditionalExpression:        "conditional_expression",
	KindBooleanLiteral:               "boolean_literal",
	KindDeclarationPattern:           "declaration_pattern",
	KindCatchDeclaration:             "catch_declaration",
	KindEnumDeclaration:              "enum_declaration",
	KindDelegateDeclaration:          "delegate_declaration",
	KindPreprocRegion:                "preproc_region",
	KindPreprocEndRegion:             "preproc_endregion",
	KindPreprocNullable:              "preproc_nullable",
	KindTupleElement:                 "tuple_element",
	KindTuplePattern:                 "tuple_pattern",
	KindEnumMember:                   "enum_member_declaration",
}

// kindTable interns kind names: the constants first, then every other symbol
// name of the grammar (see loadGrammar).
var kindTable = struct {
	names []string
	ids   map[string]Kind
}{ids: map[string]Kind{}}

func init() {
	for k, name := range kindNames {
		kindTable.names = append(kindTable.names, name)
		kindTable.ids[name] = Kind(k)
	}
}

// internKind returns the kind named name, numbering it when it is new. It is
// only called while the grammar loads, once.
func internKind(name string) Kind {
	if k, ok := kindTable.ids[name]; ok {
		return k
	}
	k := Kind(len(kindTable.names))
	kindTable.names = append(kindTable.names, name)
	kindTable.ids[name] = k
	return k
}

// String returns the grammar's name of the kind.
func (k Kind) String() string {
	if int(k) < len(kindTable.names) {
		return kindTable.names[k]
	}
	return "?"
}
