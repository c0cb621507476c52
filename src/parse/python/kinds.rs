//! Node kinds of tree-sitter-python, resolved to ids once per process so the
//! walk compares integers instead of strings.

use std::sync::OnceLock;

/// The node kinds the analysis reacts to. Everything else is `Other`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum K {
    Other,
    FunctionDef,
    Decorated,
    ClassDef,
    Decorator,
    /// `parameters` of a `def` (not of a lambda).
    Parameters,
    /// `type`: a return annotation when directly under a `def`.
    Type,
    /// `argument_list`: the bases when directly under a `class`.
    ArgumentList,
    TypeParameter,
    Block,
    If,
    Elif,
    Else,
    For,
    While,
    Try,
    Except,
    With,
    Match,
    Case,
    Ternary,
    BoolOp,
    ForIn,
    IfClause,
    Comprehension,
    Lambda,
    Assert,
    Call,
    Import,
    ImportFrom,
    Pair,
    KeywordArgument,
    Attribute,
    Subscript,
    Assignment,
    AugmentedAssignment,
    WithItem,
    ExpressionStatement,
    Error,
}

/// Kind and field ids, plus the per-id [`K`] table.
pub(super) struct Kinds {
    table: Vec<K>,
    pub identifier: u16,
    pub attribute: u16,
    pub string: u16,
    pub concatenated_string: u16,
    pub interpolation: u16,
    pub comment: u16,
    pub expression_statement: u16,
    pub return_statement: u16,
    pub function_definition: u16,
    pub decorated_definition: u16,
    pub dotted_name: u16,
    pub aliased_import: u16,
    pub relative_import: u16,
    pub import_prefix: u16,
    pub wildcard_import: u16,
    pub keyword_argument: u16,
    pub list_splat_pattern: u16,
    pub dictionary_splat_pattern: u16,
    pub typed_parameter: u16,
    pub typed_default_parameter: u16,
    pub default_parameter: u16,
    pub tuple_pattern: u16,
    pub case_pattern: u16,
    pub as_pattern: u16,
    pub union_pattern: u16,
    pub underscore: u16,
    pub star: u16,
    pub comma: u16,
    pub async_kw: u16,
    pub f_body: u16,
    pub f_name: u16,
    pub f_parameters: u16,
    pub f_return_type: u16,
    pub f_superclasses: u16,
    pub f_condition: u16,
    pub f_operator: u16,
    pub f_left: u16,
    pub f_right: u16,
    pub f_function: u16,
    pub f_arguments: u16,
    pub f_object: u16,
    pub f_attribute: u16,
    pub f_key: u16,
    pub f_module_name: u16,
    pub f_guard: u16,
    pub f_definition: u16,
    // Lineage (values, assignments, subscripts).
    pub call: u16,
    pub argument_list: u16,
    pub subscript: u16,
    pub list: u16,
    pub tuple: u16,
    pub set: u16,
    pub dictionary: u16,
    pub integer: u16,
    pub float: u16,
    pub true_: u16,
    pub false_: u16,
    pub none: u16,
    pub unary_operator: u16,
    pub parenthesized_expression: u16,
    pub list_splat: u16,
    pub dictionary_splat: u16,
    pub await_: u16,
    pub assignment: u16,
    pub pattern_list: u16,
    pub list_pattern: u16,
    pub binary_operator: u16,
    pub string_start: u16,
    pub f_value: u16,
    pub f_subscript: u16,
    pub f_alias: u16,
    pub f_argument: u16,
}

impl Kinds {
    /// The process-wide table for tree-sitter-python.
    pub fn get() -> &'static Kinds {
        static KINDS: OnceLock<Kinds> = OnceLock::new();
        KINDS.get_or_init(Kinds::build)
    }

    #[inline]
    pub fn of(&self, id: u16) -> K {
        if id == u16::MAX {
            return K::Error;
        }
        self.table.get(usize::from(id)).copied().unwrap_or(K::Other)
    }

    fn build() -> Kinds {
        let lang: tree_sitter::Language = tree_sitter_python::LANGUAGE.into();
        let named = |name: &str| lang.id_for_node_kind(name, true);
        let anon = |name: &str| lang.id_for_node_kind(name, false);
        let field = |name: &str| lang.field_id_for_name(name).map_or(0, u16::from);
        let count = lang.node_kind_count();
        let mut table = vec![K::Other; count];
        // Map every id carrying a name (aliases can have several ids).
        for id in 0..u16::try_from(count).unwrap_or(u16::MAX) {
            if !lang.node_kind_is_named(id) {
                continue;
            }
            let k = match lang.node_kind_for_id(id).unwrap_or("") {
                "function_definition" => K::FunctionDef,
                "class_definition" => K::ClassDef,
                "decorated_definition" => K::Decorated,
                "decorator" => K::Decorator,
                "parameters" => K::Parameters,
                "type" => K::Type,
                "argument_list" => K::ArgumentList,
                "type_parameter" => K::TypeParameter,
                "block" => K::Block,
                "if_statement" => K::If,
                "elif_clause" => K::Elif,
                "else_clause" => K::Else,
                "for_statement" => K::For,
                "while_statement" => K::While,
                "try_statement" => K::Try,
                "except_clause" => K::Except,
                "with_statement" => K::With,
                "match_statement" => K::Match,
                "case_clause" => K::Case,
                "conditional_expression" => K::Ternary,
                "boolean_operator" => K::BoolOp,
                "for_in_clause" => K::ForIn,
                "if_clause" => K::IfClause,
                "list_comprehension"
                | "set_comprehension"
                | "dictionary_comprehension"
                | "generator_expression" => K::Comprehension,
                "lambda" => K::Lambda,
                "assert_statement" => K::Assert,
                "call" => K::Call,
                "import_statement" => K::Import,
                "import_from_statement" | "future_import_statement" => K::ImportFrom,
                "pair" => K::Pair,
                "keyword_argument" => K::KeywordArgument,
                "attribute" => K::Attribute,
                "subscript" => K::Subscript,
                "assignment" => K::Assignment,
                "augmented_assignment" => K::AugmentedAssignment,
                "with_item" => K::WithItem,
                "expression_statement" => K::ExpressionStatement,
                _ => K::Other,
            };
            if let Some(slot) = table.get_mut(usize::from(id)) {
                *slot = k;
            }
        }
        Kinds {
            table,
            identifier: named("identifier"),
            attribute: named("attribute"),
            string: named("string"),
            concatenated_string: named("concatenated_string"),
            interpolation: named("interpolation"),
            comment: named("comment"),
            expression_statement: named("expression_statement"),
            return_statement: named("return_statement"),
            function_definition: named("function_definition"),
            decorated_definition: named("decorated_definition"),
            dotted_name: named("dotted_name"),
            aliased_import: named("aliased_import"),
            relative_import: named("relative_import"),
            import_prefix: named("import_prefix"),
            wildcard_import: named("wildcard_import"),
            keyword_argument: named("keyword_argument"),
            list_splat_pattern: named("list_splat_pattern"),
            dictionary_splat_pattern: named("dictionary_splat_pattern"),
            typed_parameter: named("typed_parameter"),
            typed_default_parameter: named("typed_default_parameter"),
            default_parameter: named("default_parameter"),
            tuple_pattern: named("tuple_pattern"),
            case_pattern: named("case_pattern"),
            as_pattern: named("as_pattern"),
            union_pattern: named("union_pattern"),
            underscore: anon("_"),
            star: anon("*"),
            comma: anon(","),
            async_kw: anon("async"),
            f_body: field("body"),
            f_name: field("name"),
            f_parameters: field("parameters"),
            f_return_type: field("return_type"),
            f_superclasses: field("superclasses"),
            f_condition: field("condition"),
            f_operator: field("operator"),
            f_left: field("left"),
            f_right: field("right"),
            f_function: field("function"),
            f_arguments: field("arguments"),
            f_object: field("object"),
            f_attribute: field("attribute"),
            f_key: field("key"),
            f_module_name: field("module_name"),
            f_guard: field("guard"),
            f_definition: field("definition"),
            call: named("call"),
            argument_list: named("argument_list"),
            subscript: named("subscript"),
            list: named("list"),
            tuple: named("tuple"),
            set: named("set"),
            dictionary: named("dictionary"),
            integer: named("integer"),
            float: named("float"),
            true_: named("true"),
            false_: named("false"),
            none: named("none"),
            unary_operator: named("unary_operator"),
            parenthesized_expression: named("parenthesized_expression"),
            list_splat: named("list_splat"),
            dictionary_splat: named("dictionary_splat"),
            await_: named("await"),
            assignment: named("assignment"),
            pattern_list: named("pattern_list"),
            list_pattern: named("list_pattern"),
            binary_operator: named("binary_operator"),
            string_start: named("string_start"),
            f_value: field("value"),
            f_subscript: field("subscript"),
            f_alias: field("alias"),
            f_argument: field("argument"),
        }
    }
}
