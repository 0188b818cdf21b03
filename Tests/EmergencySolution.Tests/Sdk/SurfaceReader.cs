using System.Collections.Immutable;
using System.Globalization;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text;

namespace EmergencySolution.Tests.Sdk;

/// <summary>
/// Prints an assembly's public (and protected) API surface in the line format of
/// <c>reference/xrm-sdk-9.0.2-surface.txt</c>: <c>&lt;type&gt; | &lt;KIND&gt; &lt;details&gt;</c>, one line per type, base,
/// interface, constructor, method, operator, property, field, event and enum member. Written for this project
/// with System.Reflection.Metadata only, so the stand-in is never loaded into the test process.
/// </summary>
internal static class SurfaceReader
{
    public static List<string> Read(string assemblyPath)
    {
        using var stream = File.OpenRead(assemblyPath);
        using var pe = new PEReader(stream);
        var reader = pe.GetMetadataReader();
        var lines = new List<string>();
        foreach (var handle in reader.TypeDefinitions)
        {
            new TypeSurface(reader, handle).AppendTo(lines);
        }

        lines.Sort(StringComparer.Ordinal);
        return lines;
    }

    private sealed class Generics
    {
        public static readonly Generics None = new(ImmutableArray<string>.Empty, ImmutableArray<string>.Empty);

        public Generics(ImmutableArray<string> typeParameters, ImmutableArray<string> methodParameters)
        {
            TypeParameters = typeParameters;
            MethodParameters = methodParameters;
        }

        public ImmutableArray<string> TypeParameters { get; }

        public ImmutableArray<string> MethodParameters { get; }
    }

    /// <summary>Renders signature types as full names, generic instances as <c>Name&lt;A,B&gt;</c>.</summary>
    private sealed class TypeNames : ISignatureTypeProvider<string, Generics>
    {
        private readonly MetadataReader _reader;

        public TypeNames(MetadataReader reader)
        {
            _reader = reader;
        }

        public string GetPrimitiveType(PrimitiveTypeCode typeCode) => "System." + typeCode switch
        {
            PrimitiveTypeCode.IntPtr => "IntPtr",
            PrimitiveTypeCode.UIntPtr => "UIntPtr",
            _ => typeCode.ToString(),
        };

        public string GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) => FullName(reader, handle);

        public string GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) => FullName(reader, handle);

        public string GetTypeFromSpecification(MetadataReader reader, Generics genericContext, TypeSpecificationHandle handle, byte rawTypeKind) =>
            reader.GetTypeSpecification(handle).DecodeSignature(this, genericContext);

        public string GetSZArrayType(string elementType) => elementType + "[]";

        public string GetArrayType(string elementType, ArrayShape shape) => elementType + "[" + new string(',', shape.Rank - 1) + "]";

        public string GetByReferenceType(string elementType) => elementType + "&";

        public string GetPointerType(string elementType) => elementType + "*";

        public string GetPinnedType(string elementType) => elementType;

        public string GetModifiedType(string modifier, string unmodifiedType, bool isRequired) => unmodifiedType;

        public string GetFunctionPointerType(MethodSignature<string> signature) =>
            "fnptr(" + string.Join(",", signature.ParameterTypes) + ")->" + signature.ReturnType;

        public string GetGenericTypeParameter(Generics genericContext, int index) =>
            index < genericContext.TypeParameters.Length ? genericContext.TypeParameters[index] : "!" + index;

        public string GetGenericMethodParameter(Generics genericContext, int index) =>
            index < genericContext.MethodParameters.Length ? genericContext.MethodParameters[index] : "!!" + index;

        public string GetGenericInstantiation(string genericType, ImmutableArray<string> typeArguments)
        {
            var withoutArity = string.Join("+", genericType.Split('+').Select(part =>
            {
                var tick = part.IndexOf('`');
                return tick < 0 ? part : part.Substring(0, tick);
            }));
            return withoutArity + "<" + string.Join(",", typeArguments) + ">";
        }

        public string Of(EntityHandle handle, Generics context) => handle.Kind switch
        {
            HandleKind.TypeDefinition => FullName(_reader, (TypeDefinitionHandle)handle),
            HandleKind.TypeReference => FullName(_reader, (TypeReferenceHandle)handle),
            HandleKind.TypeSpecification => _reader.GetTypeSpecification((TypeSpecificationHandle)handle).DecodeSignature(this, context),
            _ => "?" + handle.Kind,
        };
    }

    internal static string FullName(MetadataReader reader, TypeDefinitionHandle handle)
    {
        var type = reader.GetTypeDefinition(handle);
        var declaring = type.GetDeclaringType();
        if (!declaring.IsNil)
        {
            return FullName(reader, declaring) + "+" + reader.GetString(type.Name);
        }

        return Qualify(reader.GetString(type.Namespace), reader.GetString(type.Name));
    }

    internal static string FullName(MetadataReader reader, TypeReferenceHandle handle)
    {
        var type = reader.GetTypeReference(handle);
        if (type.ResolutionScope.Kind == HandleKind.TypeReference)
        {
            return FullName(reader, (TypeReferenceHandle)type.ResolutionScope) + "+" + reader.GetString(type.Name);
        }

        return Qualify(reader.GetString(type.Namespace), reader.GetString(type.Name));
    }

    private static string Qualify(string ns, string name) => ns.Length == 0 ? name : ns + "." + name;

    private sealed class TypeSurface
    {
        private readonly MetadataReader _reader;
        private readonly TypeDefinition _type;
        private readonly TypeNames _names;
        private readonly Generics _generics;
        private readonly string _name;
        private bool _isSealed;
        private bool _isInterface;

        public TypeSurface(MetadataReader reader, TypeDefinitionHandle handle)
        {
            _reader = reader;
            _type = reader.GetTypeDefinition(handle);
            _names = new TypeNames(reader);
            _generics = new Generics(ParameterNames(_type.GetGenericParameters()), ImmutableArray<string>.Empty);
            _name = FullName(reader, handle);
        }

        public void AppendTo(List<string> lines)
        {
            var visibility = Visibility(_type);
            if (visibility == null || _name == "<Module>")
            {
                return;
            }

            var baseType = _type.BaseType.IsNil ? null : _names.Of(_type.BaseType, _generics);
            _isInterface = (_type.Attributes & TypeAttributes.Interface) != 0;
            _isSealed = (_type.Attributes & TypeAttributes.Sealed) != 0;
            var isAbstract = (_type.Attributes & TypeAttributes.Abstract) != 0;
            var isEnum = baseType == "System.Enum";
            var isStruct = baseType == "System.ValueType" && _name != "System.Enum";
            var isDelegate = baseType == "System.MulticastDelegate";
            var kind = _isInterface ? "interface" : isEnum ? "enum" : isStruct ? "struct" : isDelegate ? "delegate" : "class";

            var modifiers = Modifiers(visibility, kind, isAbstract, isEnum);
            var genericParameters = _type.GetGenericParameters();
            var genericDeclaration = GenericDeclaration(genericParameters, _generics);
            lines.Add(Line("TYPE", string.Join(" ", modifiers) + " " + kind + " arity=" + genericParameters.Count
                + (genericDeclaration.Length > 0 ? " " + genericDeclaration : string.Empty)));

            if (kind == "class" && baseType != null && baseType != "System.Object")
            {
                lines.Add(Line("BASE", baseType));
            }

            AppendInterfaces(lines);
            if (isEnum)
            {
                AppendEnumMembers(lines);
                return;
            }

            AppendFields(lines);
            var accessors = new HashSet<MethodDefinitionHandle>();
            AppendProperties(lines, accessors);
            AppendEvents(lines, accessors);
            AppendMethods(lines, accessors);
        }

        private List<string> Modifiers(string visibility, string kind, bool isAbstract, bool isEnum)
        {
            var modifiers = new List<string> { visibility };
            if (kind == "class" && isAbstract && _isSealed)
            {
                modifiers.Add("static");
            }
            else if (kind == "class" && isAbstract)
            {
                modifiers.Add("abstract");
            }
            else if (kind == "class" && _isSealed)
            {
                modifiers.Add("sealed");
            }

            if (isEnum && HasAttribute(_type.GetCustomAttributes(), "System.FlagsAttribute"))
            {
                modifiers.Add("[Flags]");
            }

            return modifiers;
        }

        private void AppendInterfaces(List<string> lines)
        {
            foreach (var implementationHandle in _type.GetInterfaceImplementations())
            {
                var implemented = _reader.GetInterfaceImplementation(implementationHandle).Interface;
                if (!IsHiddenInterface(implemented))
                {
                    lines.Add(Line("IMPLEMENTS", _names.Of(implemented, _generics)));
                }
            }
        }

        private string Line(string kind, string details) => _name + " | " + kind + " " + details;

        private string? Visibility(TypeDefinition type)
        {
            string? own = (type.Attributes & TypeAttributes.VisibilityMask) switch
            {
                TypeAttributes.Public or TypeAttributes.NestedPublic => "public",
                TypeAttributes.NestedFamily or TypeAttributes.NestedFamORAssem => "protected",
                _ => null,
            };
            var declaringHandle = type.GetDeclaringType();
            if (own == null || declaringHandle.IsNil)
            {
                return own;
            }

            var declaring = _reader.GetTypeDefinition(declaringHandle);
            var outer = Visibility(declaring);
            if (outer == null || (own == "protected" && (declaring.Attributes & TypeAttributes.Sealed) != 0))
            {
                return null;
            }

            return outer == "protected" ? "protected" : own;
        }

        // Interfaces (or generic instances of interfaces) that this assembly defines without making them visible.
        private bool IsHiddenInterface(EntityHandle implemented)
        {
            if (implemented.Kind == HandleKind.TypeDefinition)
            {
                return Visibility(_reader.GetTypeDefinition((TypeDefinitionHandle)implemented)) == null;
            }

            if (implemented.Kind != HandleKind.TypeSpecification)
            {
                return false;
            }

            var blob = _reader.GetBlobReader(_reader.GetTypeSpecification((TypeSpecificationHandle)implemented).Signature);
            if (blob.ReadSignatureTypeCode() != SignatureTypeCode.GenericTypeInstance)
            {
                return false;
            }

            blob.ReadCompressedInteger();
            var genericType = blob.ReadTypeHandle();
            return genericType.Kind == HandleKind.TypeDefinition
                && Visibility(_reader.GetTypeDefinition((TypeDefinitionHandle)genericType)) == null;
        }

        private void AppendEnumMembers(List<string> lines)
        {
            foreach (var fieldHandle in _type.GetFields())
            {
                var field = _reader.GetFieldDefinition(fieldHandle);
                if ((field.Attributes & FieldAttributes.Static) == 0)
                {
                    lines.Add(Line("ENUM-UNDERLYING", field.DecodeSignature(_names, _generics)));
                }
                else
                {
                    lines.Add(Line("ENUM-MEMBER", _reader.GetString(field.Name) + " = " + Constant(field.GetDefaultValue())));
                }
            }
        }

        private void AppendFields(List<string> lines)
        {
            foreach (var fieldHandle in _type.GetFields())
            {
                var field = _reader.GetFieldDefinition(fieldHandle);
                var visibility = Visible((field.Attributes & FieldAttributes.FieldAccessMask) switch
                {
                    FieldAttributes.Public => "public",
                    FieldAttributes.Family or FieldAttributes.FamORAssem => "protected",
                    _ => null,
                });
                if (visibility == null)
                {
                    continue;
                }

                var modifiers = new List<string> { visibility };
                var isConstant = (field.Attributes & FieldAttributes.Literal) != 0;
                if (isConstant)
                {
                    modifiers.Add("const");
                }
                else
                {
                    if ((field.Attributes & FieldAttributes.Static) != 0)
                    {
                        modifiers.Add("static");
                    }

                    if ((field.Attributes & FieldAttributes.InitOnly) != 0)
                    {
                        modifiers.Add("readonly");
                    }
                }

                lines.Add(Line("FIELD", string.Join(" ", modifiers) + " " + field.DecodeSignature(_names, _generics) + " "
                    + _reader.GetString(field.Name) + (isConstant ? " = " + Constant(field.GetDefaultValue()) : string.Empty)));
            }
        }

        private void AppendProperties(List<string> lines, HashSet<MethodDefinitionHandle> accessors)
        {
            foreach (var propertyHandle in _type.GetProperties())
            {
                var property = _reader.GetPropertyDefinition(propertyHandle);
                var propertyAccessors = property.GetAccessors();
                RememberAccessor(accessors, propertyAccessors.Getter);
                RememberAccessor(accessors, propertyAccessors.Setter);
                foreach (var other in propertyAccessors.Others)
                {
                    accessors.Add(other);
                }

                var getter = propertyAccessors.Getter.IsNil ? null : MethodVisibility(propertyAccessors.Getter);
                var setter = propertyAccessors.Setter.IsNil ? null : MethodVisibility(propertyAccessors.Setter);
                if (getter == null && setter == null)
                {
                    continue;
                }

                var signature = property.DecodeSignature(_names, _generics);
                var anyAccessor = _reader.GetMethodDefinition(propertyAccessors.Getter.IsNil ? propertyAccessors.Setter : propertyAccessors.Getter);
                var indexParameters = string.Empty;
                if (signature.ParameterTypes.Length > 0)
                {
                    if (!propertyAccessors.Getter.IsNil)
                    {
                        var getterDefinition = _reader.GetMethodDefinition(propertyAccessors.Getter);
                        var list = ParameterList(getterDefinition, getterDefinition.DecodeSignature(_names, _generics));
                        indexParameters = "[" + list.Substring(1, list.Length - 2) + "]";
                    }
                    else
                    {
                        indexParameters = "[" + string.Join(", ", signature.ParameterTypes) + "]";
                    }
                }

                var accessorText = new List<string>();
                if (getter != null)
                {
                    accessorText.Add(getter == "public" ? "get;" : getter + " get;");
                }

                if (setter != null)
                {
                    accessorText.Add(setter == "public" ? "set;" : setter + " set;");
                }

                var visibility = getter == "public" || setter == "public" ? "public" : "protected";
                lines.Add(Line("PROPERTY", visibility + " " + Modifiers(anyAccessor.Attributes) + signature.ReturnType + " "
                    + _reader.GetString(property.Name) + indexParameters + " { " + string.Join(" ", accessorText) + " }"));
            }
        }

        private void AppendEvents(List<string> lines, HashSet<MethodDefinitionHandle> accessors)
        {
            foreach (var eventHandle in _type.GetEvents())
            {
                var definition = _reader.GetEventDefinition(eventHandle);
                var eventAccessors = definition.GetAccessors();
                RememberAccessor(accessors, eventAccessors.Adder);
                RememberAccessor(accessors, eventAccessors.Remover);
                RememberAccessor(accessors, eventAccessors.Raiser);
                foreach (var other in eventAccessors.Others)
                {
                    accessors.Add(other);
                }

                var adder = eventAccessors.Adder.IsNil ? eventAccessors.Remover : eventAccessors.Adder;
                var visibility = MethodVisibility(adder);
                if (visibility == null)
                {
                    continue;
                }

                lines.Add(Line("EVENT", visibility + " " + Modifiers(_reader.GetMethodDefinition(adder).Attributes)
                    + _names.Of(definition.Type, _generics) + " " + _reader.GetString(definition.Name)));
            }
        }

        private void AppendMethods(List<string> lines, HashSet<MethodDefinitionHandle> accessors)
        {
            foreach (var methodHandle in _type.GetMethods())
            {
                if (accessors.Contains(methodHandle))
                {
                    continue;
                }

                var method = _reader.GetMethodDefinition(methodHandle);
                var visibility = MethodVisibility(methodHandle);
                var name = _reader.GetString(method.Name);
                if (visibility == null || name == ".cctor")
                {
                    continue;
                }

                var context = new Generics(_generics.TypeParameters, ParameterNames(method.GetGenericParameters()));
                var signature = method.DecodeSignature(_names, context);
                var parameters = ParameterList(method, signature);
                if (name == ".ctor")
                {
                    lines.Add(Line("CTOR", visibility + " " + parameters));
                    continue;
                }

                var isExtension = (method.Attributes & MethodAttributes.Static) != 0
                    && HasAttribute(method.GetCustomAttributes(), "System.Runtime.CompilerServices.ExtensionAttribute");
                if (isExtension)
                {
                    parameters = "(this " + parameters.Substring(1);
                }

                var genericParameters = method.GetGenericParameters();
                var declaration = GenericDeclaration(genericParameters, context);
                var typeParameterList = string.Empty;
                var constraints = string.Empty;
                if (declaration.Length > 0)
                {
                    var close = declaration.IndexOf('>');
                    typeParameterList = declaration.Substring(0, close + 1);
                    constraints = declaration.Substring(close + 1);
                }

                var kind = name.StartsWith("op_", StringComparison.Ordinal) && (method.Attributes & MethodAttributes.SpecialName) != 0
                    ? "OPERATOR"
                    : "METHOD";
                lines.Add(Line(kind, visibility + " " + Modifiers(method.Attributes) + signature.ReturnType + " " + name
                    + typeParameterList + parameters + constraints + " arity=" + genericParameters.Count));
            }
        }

        private static void RememberAccessor(HashSet<MethodDefinitionHandle> accessors, MethodDefinitionHandle handle)
        {
            if (!handle.IsNil)
            {
                accessors.Add(handle);
            }
        }

        // Protected members of sealed types cannot be reached from outside, so they are not surface.
        private string? Visible(string? visibility) => visibility == "protected" && _isSealed ? null : visibility;

        private string? MethodVisibility(MethodDefinitionHandle handle) =>
            Visible((_reader.GetMethodDefinition(handle).Attributes & MethodAttributes.MemberAccessMask) switch
            {
                MethodAttributes.Public => "public",
                MethodAttributes.Family or MethodAttributes.FamORAssem => "protected",
                _ => null,
            });

        private string Modifiers(MethodAttributes attributes)
        {
            var modifiers = new List<string>();
            if ((attributes & MethodAttributes.Static) != 0)
            {
                modifiers.Add("static");
            }

            if (!_isInterface)
            {
                var isVirtual = (attributes & MethodAttributes.Virtual) != 0;
                var isFinal = (attributes & MethodAttributes.Final) != 0;
                if ((attributes & MethodAttributes.Abstract) != 0)
                {
                    modifiers.Add("abstract");
                }
                else if (isVirtual && !isFinal)
                {
                    modifiers.Add("virtual");
                }
                else if (isVirtual && (attributes & MethodAttributes.NewSlot) == 0)
                {
                    modifiers.Add("sealed-override");
                }
            }

            return modifiers.Count == 0 ? string.Empty : string.Join(" ", modifiers) + " ";
        }

        private string ParameterList(MethodDefinition method, MethodSignature<string> signature)
        {
            var parametersBySequence = new Dictionary<int, Parameter>();
            foreach (var parameterHandle in method.GetParameters())
            {
                var parameter = _reader.GetParameter(parameterHandle);
                parametersBySequence[parameter.SequenceNumber] = parameter;
            }

            var rendered = new List<string>();
            for (var index = 0; index < signature.ParameterTypes.Length; index++)
            {
                var type = signature.ParameterTypes[index];
                var text = new StringBuilder();
                var hasDefinition = parametersBySequence.TryGetValue(index + 1, out var parameter);
                if (hasDefinition && HasAttribute(parameter.GetCustomAttributes(), "System.ParamArrayAttribute"))
                {
                    text.Append("params ");
                }

                if (type.EndsWith("&", StringComparison.Ordinal))
                {
                    var isOut = hasDefinition && (parameter.Attributes & ParameterAttributes.Out) != 0 && (parameter.Attributes & ParameterAttributes.In) == 0;
                    var isIn = hasDefinition && HasAttribute(parameter.GetCustomAttributes(), "System.Runtime.CompilerServices.IsReadOnlyAttribute");
                    text.Append(isOut ? "out " : isIn ? "in " : "ref ").Append(type, 0, type.Length - 1);
                }
                else
                {
                    text.Append(type);
                }

                if (hasDefinition && (parameter.Attributes & (ParameterAttributes.Optional | ParameterAttributes.HasDefault)) != 0)
                {
                    text.Append(" = ").Append(Constant(parameter.GetDefaultValue()) ?? "default");
                }

                rendered.Add(text.ToString());
            }

            if (signature.Header.CallingConvention == SignatureCallingConvention.VarArgs)
            {
                rendered.Add("__arglist");
            }

            return "(" + string.Join(", ", rendered) + ")";
        }

        private ImmutableArray<string> ParameterNames(GenericParameterHandleCollection parameters) =>
            parameters.Select(handle => _reader.GetString(_reader.GetGenericParameter(handle).Name)).ToImmutableArray();

        private string GenericDeclaration(GenericParameterHandleCollection parameters, Generics context)
        {
            if (parameters.Count == 0)
            {
                return string.Empty;
            }

            var names = new List<string>();
            var constraintClauses = new StringBuilder();
            foreach (var handle in parameters)
            {
                var parameter = _reader.GetGenericParameter(handle);
                var name = _reader.GetString(parameter.Name);
                var variance = (parameter.Attributes & GenericParameterAttributes.VarianceMask) switch
                {
                    GenericParameterAttributes.Covariant => "out ",
                    GenericParameterAttributes.Contravariant => "in ",
                    _ => string.Empty,
                };
                names.Add(variance + name);

                var special = parameter.Attributes & GenericParameterAttributes.SpecialConstraintMask;
                var isStruct = (special & GenericParameterAttributes.NotNullableValueTypeConstraint) != 0;
                var constraints = new List<string>();
                if ((special & GenericParameterAttributes.ReferenceTypeConstraint) != 0)
                {
                    constraints.Add("class");
                }

                if (isStruct)
                {
                    constraints.Add("struct");
                }

                var typeConstraints = parameter.GetConstraints()
                    .Select(constraint => _names.Of(_reader.GetGenericParameterConstraint(constraint).Type, context))
                    .Where(type => !(isStruct && type == "System.ValueType"))
                    .OrderBy(type => type, StringComparer.Ordinal);
                constraints.AddRange(typeConstraints);
                if ((special & GenericParameterAttributes.DefaultConstructorConstraint) != 0 && !isStruct)
                {
                    constraints.Add("new()");
                }

                if (constraints.Count > 0)
                {
                    constraintClauses.Append(" where ").Append(name).Append(':').Append(string.Join(",", constraints));
                }
            }

            return "<" + string.Join(",", names) + ">" + constraintClauses;
        }

        private bool HasAttribute(CustomAttributeHandleCollection attributes, string attributeType)
        {
            foreach (var handle in attributes)
            {
                var constructor = _reader.GetCustomAttribute(handle).Constructor;
                string? declaringType = constructor.Kind switch
                {
                    HandleKind.MemberReference => _names.Of(_reader.GetMemberReference((MemberReferenceHandle)constructor).Parent, Generics.None),
                    HandleKind.MethodDefinition => FullName(_reader, _reader.GetMethodDefinition((MethodDefinitionHandle)constructor).GetDeclaringType()),
                    _ => null,
                };
                if (declaringType == attributeType)
                {
                    return true;
                }
            }

            return false;
        }

        private string? Constant(ConstantHandle handle)
        {
            if (handle.IsNil)
            {
                return null;
            }

            var constant = _reader.GetConstant(handle);
            var blob = _reader.GetBlobReader(constant.Value);
            var invariant = CultureInfo.InvariantCulture;
            return constant.TypeCode switch
            {
                ConstantTypeCode.Boolean => blob.ReadBoolean() ? "true" : "false",
                ConstantTypeCode.Char => "'\\u" + ((int)blob.ReadChar()).ToString("X4", invariant) + "'",
                ConstantTypeCode.SByte => blob.ReadSByte().ToString(invariant),
                ConstantTypeCode.Byte => blob.ReadByte().ToString(invariant),
                ConstantTypeCode.Int16 => blob.ReadInt16().ToString(invariant),
                ConstantTypeCode.UInt16 => blob.ReadUInt16().ToString(invariant),
                ConstantTypeCode.Int32 => blob.ReadInt32().ToString(invariant),
                ConstantTypeCode.UInt32 => blob.ReadUInt32().ToString(invariant),
                ConstantTypeCode.Int64 => blob.ReadInt64().ToString(invariant),
                ConstantTypeCode.UInt64 => blob.ReadUInt64().ToString(invariant),
                ConstantTypeCode.Single => blob.ReadSingle().ToString("R", invariant),
                ConstantTypeCode.Double => blob.ReadDouble().ToString("R", invariant),
                ConstantTypeCode.String => "\"" + blob.ReadUTF16(blob.Length).Replace("\\", "\\\\").Replace("\"", "\\\"")
                    .Replace("\n", "\\n").Replace("\r", "\\r") + "\"",
                ConstantTypeCode.NullReference => "null",
                _ => "?",
            };
        }
    }
}
